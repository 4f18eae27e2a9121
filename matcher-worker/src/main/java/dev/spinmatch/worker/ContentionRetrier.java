package dev.spinmatch.worker;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Matches contended users again: a user whose advisory lock was held by another transaction was
 * neither matched nor skipped silently but returned as contended. Retries run with jittered
 * exponential backoff, a bounded number of times; a user still contended then is logged and counted
 * (the stranded-user sweep pairs them later), never dropped silently.
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
     * Returns the outcomes of the retries (matched or waiting users); {@code exhausted} hears about
     * each user still contended after the last attempt.
     */
    List<Outcome> retry(Set<String> contended, BiConsumer<String, Integer> exhausted) throws SQLException {
        List<Outcome> outcomes = new ArrayList<>();
        Set<String> pending = new TreeSet<>(contended);
        for (int attempt = 0; attempt < attempts && !pending.isEmpty(); attempt++) {
            if (!backoff.sleep(attempt)) {
                break;
            }
            metrics.contentionRetry(pending.size());
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
