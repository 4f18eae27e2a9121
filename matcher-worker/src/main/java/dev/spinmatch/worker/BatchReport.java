package dev.spinmatch.worker;

import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.SpinRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Tells what a committed batch decided: each event's result and each match go to the metrics and
 * the decision log ({@link DecisionLog}), with the spin-to-match latency of the batch's own joins.
 */
final class BatchReport {
    private final WorkerMetrics metrics;
    private final Map<UUID, SpinRequest> byEventId = new HashMap<>();
    private final Map<String, SpinRequest> joins = new HashMap<>();

    BatchReport(WorkerMetrics metrics, List<ConsumedEvent> events) {
        this.metrics = metrics;
        for (ConsumedEvent consumed : events) {
            SpinRequest event = consumed.event();
            byEventId.put(event.eventId(), event);
            if (event instanceof JoinQueue) {
                joins.put(event.userId(), event);
            }
        }
    }

    /** The batch's join of {@code userId}, or null when it came in an earlier batch. */
    SpinRequest joinOf(String userId) {
        return joins.get(userId);
    }

    /** Reports {@code apply_batch}'s outcomes; returns the users it left unmatched (waiting or contended). */
    Set<String> applied(List<Outcome> outcomes, Instant committed) {
        Set<String> unmatched = new HashSet<>();
        List<Outcome> matching = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.isEventResult()) {
                metrics.eventResult(outcome.result());
                DecisionLog.applied(byEventId.get(outcome.eventId()), outcome);
            } else if (outcome.is(Outcome.MATCHED)) {
                matching.add(outcome);
            } else {
                if (outcome.is(Outcome.CONTENDED)) {
                    metrics.contended(1);
                }
                unmatched.add(outcome.userId());
            }
        }
        matched(matching, committed);
        return unmatched;
    }

    /** Reports the matches among {@code outcomes}, committed at {@code committed}. */
    void matched(List<Outcome> outcomes, Instant committed) {
        Set<UUID> matches = new HashSet<>();
        for (Outcome outcome : outcomes) {
            if (outcome.is(Outcome.MATCHED)) {
                matches.add(outcome.matchId());
                SpinRequest join = joins.get(outcome.userId());
                DecisionLog.matched(outcome, join);
                if (join != null) {
                    metrics.spinToMatch(Duration.between(join.occurredAt(), committed));
                }
            }
        }
        metrics.matchesCreated(matches.size());
    }
}
