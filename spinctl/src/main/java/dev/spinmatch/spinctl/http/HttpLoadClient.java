package dev.spinmatch.spinctl.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small non-blocking HTTP/1.1 client built for load generation: a few selector threads, many
 * keep-alive connections, optional pipelining, requests serialized by the caller. Plain http only.
 * The JDK HttpClient tops out well below what the storm needs on two cores (see BENCHMARKS.md).
 */
public final class HttpLoadClient implements AutoCloseable {
    private final String hostHeader;
    private final String basePath;
    private final String token;
    private final List<IoLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger nextLoop = new AtomicInteger();

    /**
     * @param connections keep-alive connections in total, spread over {@code ioThreads}
     * @param pipelineDepth requests written on one connection before its first response (1 = none)
     */
    public HttpLoadClient(URI base, String token, int connections, int pipelineDepth, int ioThreads) {
        if (!"http".equals(base.getScheme())) {
            throw new IllegalArgumentException("only http:// URLs are supported, got " + base);
        }
        int port = base.getPort() < 0 ? 80 : base.getPort();
        this.hostHeader = base.getHost() + ":" + port;
        this.basePath = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        this.token = token;
        InetSocketAddress address = new InetSocketAddress(base.getHost(), port);
        for (int i = 0; i < ioThreads; i++) {
            int share = connections / ioThreads + (i < connections % ioThreads ? 1 : 0);
            IoLoop loop = new IoLoop(address, Math.max(1, share), pipelineDepth);
            Thread thread = new Thread(loop, "http-io-" + i);
            thread.setDaemon(true);
            thread.start();
            loops.add(loop);
            threads.add(thread);
        }
    }

    /** Sends asynchronously; thread-safe. {@code jsonBody} may be null. */
    public void send(String method, String path, String jsonBody, ResponseHandler handler) {
        Request request = Request.of(method, basePath + path, hostHeader, token, jsonBody, handler);
        loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size())).submit(request);
    }

    @Override
    public void close() throws InterruptedException {
        loops.forEach(IoLoop::stop);
        for (Thread t : threads) {
            t.join(5_000);
        }
    }
}
