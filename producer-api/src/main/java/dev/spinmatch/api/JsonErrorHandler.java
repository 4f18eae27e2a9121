package dev.spinmatch.api;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty produces itself (a malformed request line or URI, headers too large, ...) get the API's JSON
 * error body. A request that is the client's fault is a 4xx, never a 5xx: an unsupported HTTP version (Jetty's
 * 505) is a 400, and a URI Jetty refused for its encoding says so, naming the path when it is known.
 */
final class JsonErrorHandler extends ErrorHandler {
    /** Every method gets the JSON body (Jetty's default writes one for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        Reply reply = reply(request, code, message);
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    private static Reply reply(Request request, int code, String message) {
        if (code == 505) {
            return Reply.error(400, "invalid_request", null, "unsupported HTTP version: this server speaks HTTP/1.0 and HTTP/1.1");
        }
        HttpURI uri = request == null ? null : request.getHttpURI();
        if (code == 400 && uri != null) {
            String[] target = uri.asString().split("\\?", 2);
            Optional<String> badPath = PercentEncoding.problem(target[0]);
            if (badPath.isPresent()) {
                return Reply.error(400, "invalid_request", "path", "path: has a malformed percent-encoding: " + badPath.get());
            }
        }
        if (code == 400 && "Bad Request".equals(message)) {
            // the HTTP parser refused the request before it had a URI; it says no more than that
            return Reply.error(400, "invalid_request", null, "malformed request: the request line, the percent-encoding"
                    + " of its URI or a header breaks HTTP/1.1 syntax");
        }
        String error = code == 431 ? "headers_too_large" : code < 500 ? "invalid_request" : "internal";
        return Reply.error(code, error, null, message == null ? "HTTP " + code : message);
    }
}
