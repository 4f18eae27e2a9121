package dev.spinmatch.worker;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Matches again, after the batch committed, the users it left unmatched. "Waiting" users get one
 * more pass because matching sees only committed state: two users joining in two concurrent batches
 * may each have found nobody (schema/README.md); once both batches committed, the later pass of
 * either worker sees the other. "Contended" users (an advisory lock held elsewhere) are retried
 * with jittered exponential backoff a bounded number of times; a user still contended then is
 * logged and counted (the stranded-user sweep pairs them later), never dropped silently.
 */
final class ContentionRetrier {
    private final SpinStore store;
    private final WorkerMetrics metrics;
    private final int attempts;
    private final Backoff backoff;

    ContentionRetrier(SpinStore store, WorkerMetrics metrics, int attempts, Backoff backoff) {
        this.store = store;
        this.metrics = metrics;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /**
     * Returns the outcomes of the new passes; {@code exhausted} hears about each user still
     * contended after the last attempt.
     */
    List<Outcome> settle(Set<String> unmatched, BiConsumer<String, Integer> exhausted) throws SQLException {
        List<Outcome> outcomes = new ArrayList<>();
        Set<String> pending = new TreeSet<>(unmatched);
        for (int attempt = 0; attempt <= attempts && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                metrics.contentionRetry(pending.size());
                if (!backoff.sleep(attempt - 1)) {
                    break;
                }
            }
            List<Outcome> round = store.processMatching(pending);
            pending.clear();
            for (Outcome outcome : round) {
                if (outcome.is(Outcome.CONTENDED)) {
                    pending.add(outcome.userId());
                } else {
                    outcomes.add(outcome);
                }
            }
            metrics.contended(pending.size());
        }
        metrics.contentionExhausted(pending.size());
        pending.forEach(user -> exhausted.accept(user, attempts));
        return outcomes;
    }
}
