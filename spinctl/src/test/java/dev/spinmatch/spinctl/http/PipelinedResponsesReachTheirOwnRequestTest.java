package dev.spinmatch.spinctl.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storm times each spin from its own 202: if the client handed a response to the wrong request
 * (pipelining, partial reads, chunked bodies), latencies and outcomes would be attributed to the wrong
 * spin. Each response here echoes its request path, fixed-length or chunked.
 */
class PipelinedResponsesReachTheirOwnRequestTest {
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = exchange.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
            boolean chunked = exchange.getRequestURI().getPath().endsWith("0");
            int status = exchange.getRequestMethod().equals("DELETE") ? 404 : 202;
            exchange.sendResponseHeaders(status, chunked ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void everyResponseReachesTheRequestThatAskedForIt() throws Exception {
        int requests = 2_000;
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        Map<String, String> mismatches = new ConcurrentHashMap<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(requests);
        try (HttpLoadClient client = new HttpLoadClient(uri, "t", 4, 8, 2)) {
            for (int i = 0; i < requests; i++) {
                String path = "/v1/spins/" + i;
                client.send(i % 3 == 0 ? "DELETE" : "POST", path, i % 2 == 0 ? "{\"userId\":\"u" + i + "\"}" : null,
                        new ResponseHandler() {
                            @Override
                            public void onResponse(int status, byte[] body) {
                                String echoed = new String(body, StandardCharsets.UTF_8);
                                if (!echoed.equals(path)) {
                                    mismatches.put(path, echoed);
                                }
                                statuses.merge(status, 1, Integer::sum);
                                done.countDown();
                            }

                            @Override
                            public void onFailure(String kind) {
                                mismatches.put(path, kind);
                                done.countDown();
                            }
                        });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(mismatches).isEmpty();
        assertThat(statuses).containsEntry(404, 667).containsEntry(202, 1_333);
    }
}
