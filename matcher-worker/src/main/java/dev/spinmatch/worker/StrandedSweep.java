package dev.spinmatch.worker;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invariant 6 (no stranded users): matching sees only committed state, so two users that join in
 * two concurrent batches on two workers may both commit as waiting. The batch's own re-run after
 * commit usually pairs them; this sweep, run by every worker every few hundred milliseconds, pairs
 * whatever is left ({@code spin.match_stranded}: waiting users with a pairable partner, matched with
 * the same try-locks as a batch). A contended user is simply found again by the next sweep.
 */
final class StrandedSweep {
    private static final Logger log = LoggerFactory.getLogger(StrandedSweep.class);
    private static final int LIMIT = 500;
    private final SpinStore store;
    private final WorkerMetrics metrics;
    private final Duration grace;

    StrandedSweep(SpinStore store, WorkerMetrics metrics, Duration grace) {
        this.store = store;
        this.metrics = metrics;
        this.grace = grace;
    }

    /** One sweep; returns the number of matches it created. */
    int sweep() throws SQLException {
        List<Outcome> found = store.matchStranded(grace, LIMIT);
        if (found.isEmpty()) {
            return 0;
        }
        metrics.strandedFound(found.size());
        Set<String> matches = new TreeSet<>();
        for (Outcome outcome : found) {
            if (outcome.is(Outcome.MATCHED)) {
                matches.add(outcome.matchId().toString());
                DecisionLog.matched(outcome, null);
            }
        }
        metrics.matchesCreated(matches.size());
        log.info("stranded-user sweep found {} users, created {} matches", found.size(), matches.size());
        return matches.size();
    }
}
