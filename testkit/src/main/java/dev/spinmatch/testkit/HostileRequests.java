package dev.spinmatch.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators (QuickTheories) of HTTP requests to the producer-api that it must refuse with a 4xx and
 * a JSON error, never a 5xx, and never publish: malformed percent-encoding in the query and the path
 * of every route, path tricks, bodies that are not {@code application/json}, bodies that are not JSON,
 * broken request lines, headers and chunking. Raw bytes, sent with {@link RawHttp}; each request
 * carries a valid token, so the refusal is for what is hostile in it.
 */
public final class HostileRequests {
    private static final String SPIN = "6b1a3f0e-8c1d-4d8e-9a55-0f5e3c1b2a11";
    private static final List<String> ROUTES = List.of("POST /v1/spins", "DELETE /v1/spins/" + SPIN,
            "GET /v1/spins/" + SPIN, "POST /v1/matches/" + SPIN + "/end", "GET /v1/users/u1", "GET /healthz",
            "GET /readyz", "GET /metrics", "GET /openapi.yaml", "GET /dashboard/", "GET /v1/dashboard/stats");
    private static final List<String> BAD_QUERIES = List.of("x=%zz", "%", "a=%4", "userId=%C3%28", "userId=%zz",
            "userId=u1&x=%G0", "=%", "%%%", "x=%u0041", "userId=%ff%fe");
    private static final List<String> BAD_PATHS = List.of("/v1/spins/%zz", "/v1/spins/%", "/v1/users/%E0%A4%A",
            "/v1/users/%C3%28", "/v1/spins/..%2F..%2Fetc", "/v1/users/a%2Fb", "/v1/spins/%00", "/v1/users/%zz/x",
            "/v1/matches/%zz/end", "/%2e%2e/v1/spins", "/v1/spins/%252e%252e");
    private static final List<String> NOT_JSON = List.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json-patch", "application/xml", "text/json",
            "application/json; charset=iso-8859-1", "*/*");

    private HostileRequests() {
    }

    /** One hostile request, its raw bytes and what makes it hostile. */
    public record HostileRequest(String kind, byte[] bytes) {
        @Override
        public String toString() {
            return kind + ": " + new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1);
        }
    }

    /** Any of the kinds below, authorized with {@code token}. */
    public static Gen<HostileRequest> any(String token) {
        return Generate.oneOf(badQuery(token), badPath(token), notJson(token), badBody(token), badFraming(token));
    }

    private static Gen<HostileRequest> badQuery(String token) {
        return Generate.pick(ROUTES).zip(Generate.pick(BAD_QUERIES), (route, query) -> {
            String[] methodPath = route.split(" ");
            return request("bad query", methodPath[0], methodPath[1] + "?" + query, token, jsonBodyFor(methodPath[0]),
                    "application/json");
        });
    }

    private static Gen<HostileRequest> badPath(String token) {
        return Generate.pick(List.of("GET", "POST", "DELETE")).zip(Generate.pick(BAD_PATHS), (method, path) ->
                request("bad path", method, path, token, jsonBodyFor(method), "application/json"));
    }

    /** A valid spin, cancel or end whose body says it is something else than JSON (or says nothing). */
    private static Gen<HostileRequest> notJson(String token) {
        Gen<String> types = Generate.frequency(org.quicktheories.api.Pair.of(1, Generate.constant(() -> null)),
                org.quicktheories.api.Pair.of(7, Generate.pick(NOT_JSON)));
        return Generate.pick(List.of("POST /v1/spins", "DELETE /v1/spins/" + SPIN + "?userId=u1",
                "POST /v1/matches/" + SPIN + "/end")).zip(types, (route, type) -> {
                    String[] methodPath = route.split(" ");
                    return request("not application/json", methodPath[0], methodPath[1], token, "{\"userId\":\"u1\"}", type);
                });
    }

    private static Gen<HostileRequest> badBody(String token) {
        return Generate.pick(List.of("{", "[]", "null", "{\"userId\":\"u1\",\"userId\":\"u2\"}", "{\"userId\":\"\\u0000\"}",
                "{\"userId\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}", "\u00ff\u00fe{}", "{\"userId\":\"u1\"} {}",
                "{\"userId\":\"u1\",\"pool\":\"Bad Pool\"}", "{\"userId\":\"" + "x".repeat(200) + "\"}"))
                .zip(Generate.pick(List.of("POST /v1/spins", "POST /v1/matches/" + SPIN + "/end")), (body, route) -> {
                    String[] methodPath = route.split(" ");
                    return request("bad body", methodPath[0], methodPath[1], token, body, "application/json");
                });
    }

    /** Request lines, headers and chunking no HTTP client would send. */
    private static Gen<HostileRequest> badFraming(String token) {
        String auth = "Authorization: Bearer " + token + "\r\n";
        return Generate.pick(List.of(
                "GET /v1/users/u1 HTTP/9.9\r\nHost: x\r\n" + auth + "\r\n",
                "GET /v1/users/u\u0001 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "GET /v1/users/\u00e9 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "GET /v1/users/a b HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "FOO /v1/spins HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "GET /v1/users/u1 HTTP/1.1\r\nHost: x\r\nX-Bad\u0001: 1\r\n" + auth + "\r\n",
                "GET /v1/users/u1 HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(70_000) + "\r\n" + auth + "\r\n",
                "POST /v1/spins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
                        + "Content-Length: 9\r\n" + auth + "\r\n{\"userId\":\"u1\"}",
                "POST /v1/spins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n" + auth + "\r\n",
                "POST /v1/spins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                        + auth + "\r\nzz\r\n{}\r\n0\r\n\r\n",
                "POST /v1/spins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n"
                        + auth + "\r\n{}",
                "GET /v1/spins/" + SPIN + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n\r\n",
                "GET /v1/spins/" + SPIN + " HTTP/1.1\r\nHost: x\r\n" + auth + auth + "\r\n"))
                .map(raw -> new HostileRequest("bad framing", raw.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
    }

    private static String jsonBodyFor(String method) {
        return method.equals("GET") ? null : "{\"userId\":\"u-" + UUID.randomUUID().toString().substring(0, 8) + "\"}";
    }

    private static HostileRequest request(String kind, String method, String target, String token, String body,
            String contentType) {
        StringBuilder raw = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n")
                .append("Connection: close\r\nAuthorization: Bearer ").append(token).append("\r\n");
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            if (contentType != null) {
                raw.append("Content-Type: ").append(contentType).append("\r\n");
            }
            raw.append("Content-Length: ").append(content.length).append("\r\n");
        }
        raw.append("\r\n");
        byte[] head = raw.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + content.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(content, 0, bytes, head.length, content.length);
        return new HostileRequest(kind, bytes);
    }
}
