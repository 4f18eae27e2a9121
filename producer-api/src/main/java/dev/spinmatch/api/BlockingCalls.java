package dev.spinmatch.api;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the endpoints that block (JDBC reads, readiness probes, the dashboard snapshot) run. The router is
 * declared non-blocking to Jetty, which may then call it on the thread that reads the sockets: an endpoint
 * that waited there on the database stalled every connection that thread serves. {@link #offload} moves an
 * endpoint onto this executor: as many threads as the database pool has connections (more could only wait
 * for one), and a bounded queue behind them, past which a read is refused with a 503 instead of waiting.
 */
final class BlockingCalls implements AutoCloseable {
    private static final int QUEUED_PER_THREAD = 50;
    private final ThreadPoolExecutor executor;
    private final Duration retryAfter;

    BlockingCalls(int threads, Duration retryAfter) {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads * QUEUED_PER_THREAD), r -> {
                    Thread t = new Thread(r, "api-blocking-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.retryAfter = retryAfter;
    }

    /** {@code endpoint}, run on this executor; its reply completes there (or on whatever it chains). */
    Endpoint offload(Endpoint endpoint) {
        return call -> {
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            try {
                executor.execute(() -> run(endpoint, call, reply));
            } catch (RejectedExecutionException e) {
                throw ApiException.unavailable(retryAfter, "too many reads are waiting for the database; retry later");
            }
            return reply;
        };
    }

    private static void run(Endpoint endpoint, Call call, CompletableFuture<Reply> reply) {
        try (Mdc ignored = Mdc.traceId(call.traceId())) {
            endpoint.handle(call).whenComplete((r, error) -> {
                if (error == null) {
                    reply.complete(r);
                } else {
                    reply.completeExceptionally(error);
                }
            });
        } catch (Exception e) {
            reply.completeExceptionally(e);
        }
    }

    /** Lets the calls already running finish (the server has stopped taking requests), at most {@code drain}. */
    void close(Duration drain) {
        executor.shutdown();
        try {
            executor.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
