package dev.spinmatch.worker;

import dev.spinmatch.events.MatchCreated;
import dev.spinmatch.events.MatchEnded;
import dev.spinmatch.events.MatchEvent;
import dev.spinmatch.events.SpinCancelled;
import dev.spinmatch.events.SpinExpired;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One record the relay publishes, as {@code spin.announcements} returns it (schema V6): a match created or
 * ended (one per participant), a spin cancelled or expired.
 */
record Announcement(long xid, Instant at, String type, String userId, String partnerId, UUID matchId, UUID spinId,
        String pool, String reason, String endedBy, String traceId) {

    /**
     * The event on spin.matches. Its id is derived from what it announces (type, match or spin, user), so a
     * round published again after a crash carries the same ids and consumers deduplicate it.
     */
    MatchEvent toEvent() {
        UUID eventId = UUID.nameUUIDFromBytes((type + "/" + (matchId != null ? matchId : spinId) + "/" + userId)
                .getBytes(StandardCharsets.UTF_8));
        return switch (type) {
            case "match_created" -> new MatchCreated(eventId, userId, matchId, partnerId, pool, spinId, at, traceId);
            case "match_ended" -> new MatchEnded(eventId, userId, matchId, partnerId, reason, endedBy, at, traceId);
            case "spin_cancelled" -> new SpinCancelled(eventId, userId, spinId, pool, at, traceId);
            case "spin_expired" -> new SpinExpired(eventId, userId, spinId, pool, at, traceId);
            default -> throw new IllegalStateException("unknown announcement type " + type);
        };
    }
}
