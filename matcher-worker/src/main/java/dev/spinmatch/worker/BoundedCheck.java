package dev.spinmatch.worker;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A health check that answers within a time limit: one still running then (a database that does not
 * answer makes the connection pool wait its whole connection timeout) counts as failed, so /readyz
 * says 503 at once instead of hanging past the probe's own timeout. At most one check runs at a time;
 * callers arriving meanwhile wait for that same one.
 */
final class BoundedCheck implements BooleanSupplier, AutoCloseable {
    private final BooleanSupplier check;
    private final Duration limit;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "readiness-check");
        thread.setDaemon(true);
        return thread;
    });
    private Future<Boolean> running;

    BoundedCheck(BooleanSupplier check, Duration limit) {
        this.check = check;
        this.limit = limit;
    }

    @Override
    public boolean getAsBoolean() {
        Future<Boolean> current = current();
        try {
            return current.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized Future<Boolean> current() {
        if (running == null || running.isDone()) {
            running = executor.submit(check::getAsBoolean);
        }
        return running;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
