package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/** An event on {@code spin.matches}, keyed by {@link #userId()}; consumers dedupe on {@link #eventId()}. */
public sealed interface MatchEvent permits MatchCreated, MatchEnded, SpinExpired, SpinCancelled {
    UUID eventId();

    String userId();

    Instant occurredAt();

    String traceId();

    default String type() {
        return EventType.of(this).wireName();
    }
}
