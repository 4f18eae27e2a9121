package dev.spinmatch.simulation;

/** What a crowd saw, as it happens (counters, a timeline, a report); each ignored unless overridden. Any thread. */
public interface CrowdListener {
    default void requestSent() {
    }

    default void spinAccepted() {
    }

    /** A spin the crowd sent was matched, {@code nanos} after its 202 (0 when the match came first). */
    default void spinMatched(long nanos) {
    }

    default void spinCancelled() {
    }

    default void spinExpired() {
    }

    default void matchEnded() {
    }

    /** An event seen again (the relay delivers at least once): harmless. */
    default void duplicateEvent() {
    }

    /** Any event of the crowd's users arrived (the pipeline is not idle). */
    default void eventSeen() {
    }

    /** A request answered other than 2xx, or an event that breaks an invariant; {@code kind} says which. */
    default void error(String kind) {
    }
}
