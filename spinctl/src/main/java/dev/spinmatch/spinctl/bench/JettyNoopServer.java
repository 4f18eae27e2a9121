package dev.spinmatch.spinctl.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An HTTP server built like the producer-api (Jetty 12 core, one connector, a handler answering
 * asynchronously) that answers every request with a small 202 JSON body and does no work.
 */
public final class JettyNoopServer implements AutoCloseable {
    private static final byte[] BODY =
            "{\"spinId\":\"00000000-0000-0000-0000-000000000000\",\"status\":\"queued\"}"
                    .getBytes(StandardCharsets.US_ASCII);
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    public JettyNoopServer() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(202);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(BODY), callback);
                return true;
            }
        });
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
