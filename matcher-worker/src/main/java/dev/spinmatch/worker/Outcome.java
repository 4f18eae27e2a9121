package dev.spinmatch.worker;

import java.util.UUID;

/**
 * One row from {@code spin.apply_batch} or {@code spin.process_matching}: the result for one event
 * ({@code eventId} set) or for one user after matching ({@code eventId} null, result
 * matched, contended or waiting).
 */
record Outcome(UUID eventId, String userId, String result, UUID matchId, String partnerId, String detail) {
    static final String REJECTED = "rejected";
    static final String MATCHED = "matched";
    static final String CONTENDED = "contended";

    boolean isEventResult() {
        return eventId != null;
    }

    boolean is(String name) {
        return name.equals(result);
    }
}
