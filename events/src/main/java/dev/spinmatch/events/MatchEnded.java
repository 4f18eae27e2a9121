package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One per participant: match {@code matchId} with {@code partnerId} ended, {@code reason} being e.g.
 * ended, next or repair; {@code endedBy} is the user who ended it, null when no user did.
 */
public record MatchEnded(UUID eventId, String userId, UUID matchId, String partnerId, String reason, String endedBy,
        Instant occurredAt, String traceId) implements MatchEvent {
}
