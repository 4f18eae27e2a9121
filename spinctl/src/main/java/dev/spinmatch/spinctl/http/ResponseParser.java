package dev.spinmatch.spinctl.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Incremental HTTP/1.1 response parser for one connection: fixed Content-Length and chunked bodies.
 * Feed it bytes as they arrive; it reports each complete response in order.
 */
final class ResponseParser {
    interface Sink {
        void response(int status, byte[] body, boolean close);
    }

    private ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);

    /** The buffer to read socket bytes into (write mode), grown when full. */
    ByteBuffer readBuffer() {
        if (!buffer.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2);
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        return buffer;
    }

    /** Parses every complete response in the buffer; keeps a partial one for the next read. */
    void parse(Sink sink) {
        buffer.flip();
        while (parseOne(sink)) {
            // keep going: pipelined responses may sit back to back
        }
        buffer.compact();
    }

    private boolean parseOne(Sink sink) {
        int start = buffer.position();
        int headEnd = indexOfHeadEnd(start, buffer.limit());
        if (headEnd < 0) {
            return false;
        }
        String head = new String(buffer.array(), start, headEnd - start, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        Head parsed = Head.of(head);
        int bodyStart = headEnd + 4;
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return finish(sink, status, new byte[0], bodyStart, parsed.close);
        }
        if (parsed.chunked) {
            return parseChunked(sink, status, bodyStart, parsed.close);
        }
        if (buffer.limit() - bodyStart < parsed.contentLength) {
            return false;
        }
        byte[] body = new byte[parsed.contentLength];
        System.arraycopy(buffer.array(), bodyStart, body, 0, body.length);
        return finish(sink, status, body, bodyStart + body.length, parsed.close);
    }

    private boolean parseChunked(Sink sink, int status, int from, boolean close) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        int pos = from;
        while (true) {
            int lineEnd = indexOf(pos, buffer.limit());
            if (lineEnd < 0) {
                return false;
            }
            String sizeText = new String(buffer.array(), pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            int semicolon = sizeText.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
            pos = lineEnd + 2;
            if (size == 0) {
                int trailerEnd = indexOf(pos, buffer.limit());
                if (trailerEnd != pos) {
                    // trailers are not expected; wait for the blank line that ends the message
                    int end = indexOfHeadEnd(pos, buffer.limit());
                    if (end < 0) {
                        return false;
                    }
                    return finish(sink, status, body.toByteArray(), end + 4, close);
                }
                return finish(sink, status, body.toByteArray(), pos + 2, close);
            }
            if (buffer.limit() - pos < size + 2) {
                return false;
            }
            body.write(buffer.array(), pos, size);
            pos += size + 2;
        }
    }

    private boolean finish(Sink sink, int status, byte[] body, int next, boolean close) {
        buffer.position(next);
        sink.response(status, body, close);
        return buffer.hasRemaining();
    }

    private int indexOfHeadEnd(int from, int to) {
        byte[] a = buffer.array();
        for (int i = from; i + 3 < to; i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(int from, int to) {
        byte[] a = buffer.array();
        for (int i = from; i + 1 < to; i++) {
            if (a[i] == '\r' && a[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The header fields the client needs: body framing and whether the server closes. */
    private static final class Head {
        int contentLength;
        boolean chunked;
        boolean close;

        static Head of(String head) {
            Head h = new Head();
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    h.contentLength = Integer.parseInt(value);
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    h.chunked = value.toLowerCase().contains("chunked");
                } else if (name.equalsIgnoreCase("connection")) {
                    h.close = value.equalsIgnoreCase("close");
                }
            }
            return h;
        }
    }
}
