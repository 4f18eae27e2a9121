package dev.spinmatch.worker;

import dev.spinmatch.events.EndMatch;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per decision, with MDC eventId, spinId, userId, matchId and traceId (workerId is set
 * per thread), so one user's story can be grepped from the logs of the whole fleet. The logger
 * {@code dev.spinmatch.worker.decisions} can be turned down to WARN where the volume matters.
 */
final class DecisionLog {
    private static final Logger log = LoggerFactory.getLogger("dev.spinmatch.worker.decisions");

    private DecisionLog() {
    }

    static void applied(SpinRequest event, Outcome outcome) {
        try (LogContext ignored = context(event).put("matchId", outcome.matchId())) {
            log.info("{} {}{}", event.type(), outcome.result(), outcome.detail() == null ? "" : ": " + outcome.detail());
        }
    }

    /** {@code join} is the user's join_queue of this batch, or null when it came in an earlier one. */
    static void matched(Outcome outcome, SpinRequest join) {
        try (LogContext ignored = (join == null ? LogContext.with() : context(join))
                .put("userId", outcome.userId()).put("matchId", outcome.matchId())) {
            log.info("matched with {}", outcome.partnerId());
        }
    }

    static void contentionExhausted(String userId, SpinRequest join, int attempts) {
        try (LogContext ignored = (join == null ? LogContext.with() : context(join)).put("userId", userId)) {
            log.warn("still contended after {} attempts; left waiting for the stranded-user sweep", attempts);
        }
    }

    private static LogContext context(SpinRequest event) {
        LogContext context = LogContext.with().put("eventId", event.eventId()).put("userId", event.userId())
                .put("traceId", event.traceId());
        if (event instanceof JoinQueue join) {
            context.put("spinId", join.spinId());
        } else if (event instanceof LeaveQueue leave) {
            context.put("spinId", leave.spinId());
        } else if (event instanceof EndMatch end) {
            context.put("matchId", end.matchId());
        }
        return context;
    }
}
