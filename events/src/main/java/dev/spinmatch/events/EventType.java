package dev.spinmatch.events;

import java.util.Arrays;
import java.util.Optional;

/** The wire names of every event type, on both topics. */
public enum EventType {
    JOIN_QUEUE("join_queue", JoinQueue.class),
    LEAVE_QUEUE("leave_queue", LeaveQueue.class),
    END_MATCH("end_match", EndMatch.class),
    MATCH_CREATED("match_created", MatchCreated.class),
    MATCH_ENDED("match_ended", MatchEnded.class),
    SPIN_EXPIRED("spin_expired", SpinExpired.class),
    SPIN_CANCELLED("spin_cancelled", SpinCancelled.class);

    private final String wireName;
    private final Class<?> recordType;

    EventType(String wireName, Class<?> recordType) {
        this.wireName = wireName;
        this.recordType = recordType;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    static EventType of(Object event) {
        return Arrays.stream(values()).filter(t -> t.recordType.isInstance(event)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an event: " + event.getClass()));
    }
}
