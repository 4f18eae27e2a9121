package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/** One per participant: match {@code matchId} ended, {@code reason} being e.g. ended, next or repaired. */
public record MatchEnded(UUID eventId, String userId, UUID matchId, String reason, Instant occurredAt,
        String traceId) implements MatchEvent {
}
