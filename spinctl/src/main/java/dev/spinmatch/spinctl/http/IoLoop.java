package dev.spinmatch.spinctl.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One selector thread owning a set of connections. Other threads hand requests over through a
 * lock-free queue; the loop gives each to the least busy connection that is under the pipeline depth,
 * and parks the rest in a backlog until a response frees a slot.
 */
final class IoLoop implements Runnable {
    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final int depth;
    private final ConcurrentLinkedQueue<Request> submitted = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Request> backlog = new ArrayDeque<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private volatile boolean running = true;
    private int next;

    IoLoop(InetSocketAddress address, int connectionCount, int depth) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.depth = depth;
        for (int i = 0; i < connectionCount; i++) {
            connections.add(new Connection(address, selector));
        }
    }

    void submit(Request request) {
        submitted.add(request);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select(100);
                wakeupPending.set(false);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Connection) key.attachment()).onReady();
                }
                selector.selectedKeys().clear();
                dispatch();
                flushAll();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            connections.forEach(Connection::close);
            failAll();
        }
    }

    private void dispatch() {
        Request r;
        while ((r = submitted.poll()) != null) {
            backlog.add(r);
        }
        while (!backlog.isEmpty()) {
            Connection c = leastBusy();
            if (c == null) {
                return;
            }
            c.send(backlog.poll());
        }
    }

    private void flushAll() {
        for (Connection c : connections) {
            c.flush();
        }
    }

    private Connection leastBusy() {
        Connection best = null;
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get((next + i) % connections.size());
            if (c.inFlight() < depth && (best == null || c.inFlight() < best.inFlight())) {
                best = c;
                if (c.inFlight() == 0) {
                    break;
                }
            }
        }
        next = (next + 1) % connections.size();
        return best;
    }

    private void failAll() {
        Request r;
        while ((r = submitted.poll()) != null) {
            backlog.add(r);
        }
        while ((r = backlog.poll()) != null) {
            r.handler.onFailure("client_stopped");
        }
    }
}
