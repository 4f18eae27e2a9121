package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/** An event on {@code spin.requests}, keyed by {@link #userId()}. */
public sealed interface SpinRequest permits JoinQueue, LeaveQueue, EndMatch {
    UUID eventId();

    String userId();

    Instant occurredAt();

    /** Correlates one user's request across the API, Kafka, the workers and the match events; may be null. */
    String traceId();

    default String type() {
        return EventType.of(this).wireName();
    }
}
