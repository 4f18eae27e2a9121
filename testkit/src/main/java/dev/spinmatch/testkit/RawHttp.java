package dev.spinmatch.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes as they are to an HTTP server and reads one response: for requests no HTTP client
 * library would send (bad percent-encoding, control characters, broken chunking). Each request on a
 * connection of its own, closed after the response.
 */
public final class RawHttp {
    private static final int TIMEOUT_MILLIS = 30_000;

    private RawHttp() {
    }

    /** The status and body of the server's response; status -1 when the server closed without answering. */
    public record Response(int status, String contentType, String body) {
    }

    public static Response send(String host, int port, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the server may answer and close before reading a request it refuses: read what it said
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // a reset after the response: keep what arrived
        }
        return bytes.toByteArray();
    }

    private static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headersEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || headersEnd < 0) {
            return new Response(-1, null, text);
        }
        String[] lines = text.substring(0, headersEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String contentType = null;
        for (String line : lines) {
            if (line.toLowerCase().startsWith("content-type:")) {
                contentType = line.substring("content-type:".length()).trim();
            }
        }
        return new Response(status, contentType, new String(raw, headersEnd + 4, raw.length - headersEnd - 4,
                StandardCharsets.UTF_8));
    }
}
