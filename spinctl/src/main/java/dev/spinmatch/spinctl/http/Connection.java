package dev.spinmatch.spinctl.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One keep-alive connection, owned by one {@link IoLoop} thread (no locking). Requests are written
 * back to back (pipelined up to the loop's depth); responses come back in the same order.
 */
final class Connection implements ResponseParser.Sink {
    private final InetSocketAddress address;
    private final Selector selector;
    private final ArrayDeque<Request> inFlight = new ArrayDeque<>();
    private final ResponseParser parser = new ResponseParser();
    private ByteBuffer out = ByteBuffer.allocate(16 * 1024);
    private SocketChannel channel;
    private SelectionKey key;
    private boolean closeAfterResponse;

    Connection(InetSocketAddress address, Selector selector) {
        this.address = address;
        this.selector = selector;
    }

    int inFlight() {
        return inFlight.size();
    }

    void send(Request request) {
        try {
            if (channel == null) {
                open();
            }
        } catch (IOException e) {
            request.handler.onFailure("connect_failed");
            return;
        }
        inFlight.add(request);
        if (out.remaining() < request.bytes.length) {
            grow(request.bytes.length);
        }
        out.put(request.bytes);
    }

    /** Writes what was queued since the last select, so several requests go out in one syscall. */
    void flush() {
        if (channel == null || out.position() == 0 || !channel.isConnected()) {
            return;
        }
        try {
            write();
        } catch (IOException e) {
            fail("connection_error");
        }
    }

    void onReady() {
        try {
            if (key.isConnectable() && channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_READ | (out.position() > 0 ? SelectionKey.OP_WRITE : 0));
            }
            if (key.isValid() && key.isWritable()) {
                write();
            }
            if (key.isValid() && key.isReadable()) {
                read();
            }
        } catch (IOException | RuntimeException e) {
            fail(channel.isConnected() ? "connection_error" : "connect_failed");
        }
    }

    @Override
    public void response(int status, byte[] body, boolean close) {
        Request request = inFlight.poll();
        if (request != null) {
            request.handler.onResponse(status, body);
        }
        closeAfterResponse |= close;
    }

    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            channel = null;
        }
    }

    private void open() throws IOException {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(address);
        key = channel.register(selector, SelectionKey.OP_CONNECT, this);
        out.clear();
        closeAfterResponse = false;
    }

    private void write() throws IOException {
        out.flip();
        channel.write(out);
        out.compact();
        key.interestOps(out.position() == 0 ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    private void read() throws IOException {
        int n = channel.read(parser.readBuffer());
        if (n < 0) {
            fail("connection_closed");
            return;
        }
        parser.parse(this);
        if (closeAfterResponse) {
            fail("connection_closed");
        }
    }

    /** Fails what is still in flight; the next request opens a new connection. */
    private void fail(String kind) {
        close();
        Request r;
        while ((r = inFlight.poll()) != null) {
            r.handler.onFailure(kind);
        }
    }

    private void grow(int needed) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + needed));
        out.flip();
        bigger.put(out);
        out = bigger;
    }
}
