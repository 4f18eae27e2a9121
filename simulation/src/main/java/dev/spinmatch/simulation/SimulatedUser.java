package dev.spinmatch.simulation;

import java.util.UUID;

/** One simulated user's state. Guarded by its own monitor: HTTP, Kafka and timer threads all move it. */
public final class SimulatedUser {
    enum State { IDLE, SPINNING, WAITING, MATCHED }

    final String id;
    final String pool;
    final Behaviour behaviour;
    State state = State.IDLE;
    UUID spinId;
    UUID matchId;
    /** Vanished after its spin was accepted: takes no action until its spin or match is over. */
    boolean ghost;
    private int actionsLeft;

    public SimulatedUser(String id, String pool, Behaviour behaviour) {
        this.id = id;
        this.pool = pool;
        this.behaviour = behaviour;
        this.actionsLeft = behaviour.actions() == 0 ? Integer.MAX_VALUE : behaviour.actions();
    }

    public String id() {
        return id;
    }

    /** Takes one action from the user's budget; false when it is spent. Caller holds the monitor. */
    boolean act() {
        if (actionsLeft == 0) {
            return false;
        }
        actionsLeft--;
        return true;
    }

    synchronized boolean hasActionsLeft() {
        return actionsLeft > 0;
    }
}
