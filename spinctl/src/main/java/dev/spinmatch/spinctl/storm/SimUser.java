package dev.spinmatch.spinctl.storm;

import java.util.UUID;

/** One simulated user. Guarded by its own monitor: HTTP, Kafka and timer threads all move it. */
final class SimUser {
    enum State { IDLE, SPINNING, WAITING, MATCHED }

    final String id;
    final String pool;
    State state = State.IDLE;
    UUID spinId;
    UUID matchId;
    /** Vanished after its spin was accepted: takes no action until its spin or match is over. */
    boolean ghost;

    SimUser(String id, String pool) {
        this.id = id;
        this.pool = pool;
    }
}
