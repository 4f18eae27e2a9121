package dev.spinmatch.worker;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The worker's timers: expiring spins that waited past the timeout ({@code spin.expire_spins} is
 * idempotent and locks per user, so every worker may run it), the stranded-user sweep (every worker),
 * the repair job (every worker tries; the lease lets one run), pruning old history
 * ({@code spin.prune_history} skips rows another worker holds, so every worker may run it) and
 * sampling the relay backlog.
 * Two timer threads, so a slow repair never delays the sweep.
 */
final class PeriodicTasks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicTasks.class);
    private static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(5);
    private final ScheduledExecutorService timer;
    private final SpinStore store;
    private final WorkerMetrics metrics;
    private final WorkerOptions options;
    private final Runnable nudgeRelay;
    private final StrandedSweep sweep;
    private final RepairJob repair;

    PeriodicTasks(SpinStore store, WorkerMetrics metrics, WorkerOptions options, Runnable nudgeRelay,
            StrandedSweep sweep, RepairJob repair) {
        this.sweep = sweep;
        this.repair = repair;
        this.store = store;
        this.metrics = metrics;
        this.options = options;
        this.nudgeRelay = nudgeRelay;
        this.timer = Executors.newScheduledThreadPool(2, r -> new Thread(r, "worker-timer-" + options.workerId()));
    }

    void start() {
        schedule(this::expire, options.expiryInterval());
        schedule(this::sampleBacklog, BACKLOG_INTERVAL);
        schedule(this::sweepStranded, options.strandedSweepInterval());
        schedule(this::repair, options.repairInterval());
        schedule(this::pruneHistory, options.pruneInterval());
    }

    /** A zero interval disables the task. */
    private void schedule(SqlTask task, Duration every) {
        if (every.isZero()) {
            return;
        }
        timer.scheduleWithFixedDelay(() -> runLogged(task), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runLogged(SqlTask task) {
        MDC.put("workerId", options.workerId());
        try {
            task.run();
        } catch (SQLException | RuntimeException e) {
            log.warn("periodic task failed; it runs again at its next interval", e);
        }
    }

    /** Expires in bounded rounds until a round finds less than a full batch. */
    private void expire() throws SQLException {
        int expired;
        do {
            expired = store.expireSpins(options.expiryBatchSize(), options.spinTimeout());
            if (expired > 0) {
                metrics.expired(expired);
                nudgeRelay.run();
                log.info("expired {} spins", expired);
            }
        } while (expired == options.expiryBatchSize());
    }

    private void sweepStranded() throws SQLException {
        if (sweep.sweep() > 0) {
            nudgeRelay.run();
        }
    }

    private void repair() throws SQLException {
        if (!repair.runIfLeader().isEmpty()) {
            nudgeRelay.run();
        }
    }

    /** Prunes in bounded rounds until no kind fills a round (schema/README.md, spin.prune_history). */
    private void pruneHistory() throws SQLException {
        Map<String, Integer> pruned;
        do {
            pruned = store.pruneHistory(options.pruneBatchSize());
            pruned.forEach(metrics::pruned);
            if (pruned.values().stream().anyMatch(n -> n > 0)) {
                log.info("pruned history older than the retention: {}", pruned);
            }
        } while (pruned.values().stream().anyMatch(n -> n >= options.pruneBatchSize()));
    }

    private void sampleBacklog() throws SQLException {
        metrics.relayBacklog(store.relayBacklog());
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        repair.stop();
    }

    private interface SqlTask {
        void run() throws SQLException;
    }
}
