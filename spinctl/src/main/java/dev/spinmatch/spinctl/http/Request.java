package dev.spinmatch.spinctl.http;

import java.nio.charset.StandardCharsets;

/** One HTTP/1.1 request, serialized once by the caller's thread so the I/O thread only copies bytes. */
public final class Request {
    final byte[] bytes;
    final ResponseHandler handler;

    private Request(byte[] bytes, ResponseHandler handler) {
        this.bytes = bytes;
        this.handler = handler;
    }

    static Request of(String method, String path, String hostHeader, String token, String jsonBody,
            ResponseHandler handler) {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader)
                .append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return new Request(all, handler);
    }
}
