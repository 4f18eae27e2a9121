package dev.spinmatch.spinctl.storm;

import dev.spinmatch.simulation.Crowd;
import dev.spinmatch.spinctl.check.InvariantCheck;
import dev.spinmatch.spinctl.check.Violation;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The end of a storm, once the load stopped: wait for the answers still due, let the pipeline go quiet and
 * check the invariants while the last users still wait (so stranded users show), then cancel what waits and
 * wait until every accepted spin has its outcome. Each wait is bounded by the drain timeout.
 */
final class StormFinish {
    /** No event for this long means the pipeline is idle: longer than the stranded grace of one second. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);
    private final Crowd crowd;
    private final StormStats stats;
    private final Duration drainTimeout;
    private final PrintStream progress;

    StormFinish(Crowd crowd, StormStats stats, Duration drainTimeout, PrintStream progress) {
        this.crowd = crowd;
        this.stats = stats;
        this.drainTimeout = drainTimeout;
        this.progress = progress;
    }

    /** Waits for the answers to requests already sent. */
    void awaitInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (crowd.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    List<Violation> checkWhenQuiet(InvariantCheck check, String grace) throws InterruptedException, SQLException {
        progress.println("waiting for quiescence, then checking invariants");
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (stats.nanosSinceLastEvent() < QUIET_NANOS && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return check.violations(grace);
    }

    /**
     * Cancels every spin still waiting (ghosts included) and waits until each accepted spin has its outcome.
     * Returns how long it took in nanoseconds.
     */
    long drain() throws InterruptedException {
        long start = System.nanoTime();
        crowd.cancelWaiting();
        long deadline = start + drainTimeout.toNanos();
        while (crowd.unresolvedSpins() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        awaitInFlight();
        return System.nanoTime() - start;
    }
}
