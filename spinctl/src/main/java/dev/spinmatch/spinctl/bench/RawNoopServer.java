package dev.spinmatch.spinctl.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A bare single-threaded NIO HTTP/1.1 server that answers every request (pipelined or not) with a
 * canned 202: it costs so little that a benchmark against it measures the client, not the server.
 */
public final class RawNoopServer implements AutoCloseable {
    private static final byte[] BODY =
            "{\"spinId\":\"00000000-0000-0000-0000-000000000000\",\"status\":\"queued\"}"
                    .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = ("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + BODY.length + "\r\n\r\n" + new String(BODY, StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;

    public RawNoopServer() {
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::loop, "raw-noop-server");
        thread.setDaemon(true);
        thread.start();
    }

    public URI uri() {
        try {
            return URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loop() {
        try {
            while (running) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        serve(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept() throws IOException {
        SocketChannel channel = server.accept();
        if (channel != null) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(selector, SelectionKey.OP_READ, new Pending());
        }
    }

    private void serve(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        Pending pending = (Pending) key.attachment();
        try {
            if (channel.read(pending.in) < 0) {
                channel.close();
                return;
            }
            int answers = pending.completeRequests();
            ByteBuffer out = ByteBuffer.allocate(RESPONSE.length * answers);
            for (int i = 0; i < answers; i++) {
                out.put(RESPONSE);
            }
            out.flip();
            while (out.hasRemaining()) {
                channel.write(out); // tiny responses on loopback: the socket buffer takes them
            }
        } catch (IOException e) {
            key.cancel();
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        server.close();
    }

    /** Bytes of a connection not yet consumed, and a scan for complete requests (head + Content-Length body). */
    private static final class Pending {
        final ByteBuffer in = ByteBuffer.allocate(256 * 1024);

        int completeRequests() {
            in.flip();
            int count = 0;
            while (true) {
                int start = in.position();
                int headEnd = find(start);
                if (headEnd < 0) {
                    break;
                }
                int end = headEnd + 4 + contentLength(start, headEnd);
                if (end > in.limit()) {
                    break;
                }
                in.position(end);
                count++;
            }
            in.compact();
            return count;
        }

        private int find(int from) {
            byte[] a = in.array();
            for (int i = from; i + 3 < in.limit(); i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private int contentLength(int start, int headEnd) {
            String head = new String(in.array(), start, headEnd - start, StandardCharsets.ISO_8859_1).toLowerCase();
            int at = head.indexOf("content-length:");
            if (at < 0) {
                return 0;
            }
            int eol = head.indexOf('\r', at);
            return Integer.parseInt(head.substring(at + 15, eol < 0 ? head.length() : eol).trim());
        }
    }
}
