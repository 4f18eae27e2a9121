package dev.spinmatch.simulation;

import dev.spinmatch.events.MatchCreated;
import dev.spinmatch.events.MatchEnded;
import dev.spinmatch.events.MatchEvent;
import dev.spinmatch.events.SpinCancelled;
import dev.spinmatch.events.SpinExpired;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simulated users acting on a running API: each spins, and on what follows (its 202, the outcome it reads from
 * spin.matches through {@link #onEvent}) acts again as its {@link Behaviour} says. Every spin id is chosen here,
 * so the 202 and the outcome of one spin meet in {@link #open}. A spin superseded by its user's next spin gets
 * no event; it is set aside as superseded unless an outcome event for it arrives after all.
 *
 * <p>Whoever drives the crowd calls {@link #spinNext} to start idle users (at a rate, or up to a number of
 * requests in flight), {@link #stopActing} when the load is over, then {@link #cancelWaiting} to resolve what
 * still waits.
 */
public final class Crowd {
    private final Map<String, SimulatedUser> users = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<SimulatedUser> idle = new ConcurrentLinkedQueue<>();
    private final Map<UUID, OpenSpin> open = new ConcurrentHashMap<>();
    private final Map<UUID, OpenSpin> superseded = new ConcurrentHashMap<>();
    private final Map<UUID, String> accepted = new ConcurrentHashMap<>();
    private final Set<UUID> seenEvents = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger spinsSent = new AtomicInteger();
    private final AtomicInteger scheduled = new AtomicInteger();
    private final Transport transport;
    private final CrowdListener listener;
    private final ScheduledExecutorService timer;
    private volatile boolean acting = true;

    /** A spin sent and not yet resolved: its user, and when it was accepted (to time its match). */
    private static final class OpenSpin {
        final SimulatedUser user;
        volatile long acceptedNanos;

        OpenSpin(SimulatedUser user) {
            this.user = user;
        }
    }

    public Crowd(List<SimulatedUser> members, Transport transport, CrowdListener listener,
            ScheduledExecutorService timer) {
        members.forEach(user -> users.put(user.id, user));
        idle.addAll(members);
        this.transport = transport;
        this.listener = listener;
        this.timer = timer;
    }

    /** Starts the next idle user with actions left on a spin; false when there is none right now. */
    public boolean spinNext() {
        for (SimulatedUser user = idle.poll(); user != null; user = idle.poll()) {
            synchronized (user) {
                if (user.state == SimulatedUser.State.IDLE && user.act()) {
                    spin(user);
                    return true;
                }
            }
        }
        return false;
    }

    /** Requests sent and not answered yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /** True when nobody can act any more on their own: no request in flight, no action due, no idle user left. */
    public boolean settled() {
        return inFlight.get() == 0 && scheduled.get() == 0 && idle.stream().noneMatch(SimulatedUser::hasActionsLeft);
    }

    /** Accepted spins without an outcome yet (superseded ones aside). */
    public int unresolvedSpins() {
        return (int) open.values().stream().filter(spin -> spin.acceptedNanos != 0).count();
    }

    public int supersededSpins() {
        return superseded.size();
    }

    /** Spin requests sent so far. */
    public int spinsSent() {
        return spinsSent.get();
    }

    /** Spins answered 202, with their user. */
    public Map<UUID, String> accepted() {
        return Map.copyOf(accepted);
    }

    /** From now on users only follow their outcomes: no new action. */
    public void stopActing() {
        acting = false;
    }

    /** Every user whose spin still waits (ghosts included) cancels it. */
    public void cancelWaiting() {
        for (SimulatedUser user : users.values()) {
            synchronized (user) {
                if (user.state == SimulatedUser.State.WAITING) {
                    cancel(user.id, user.spinId);
                }
            }
        }
    }

    /** Cancels {@code spinId} of {@code userId}, whatever the crowd believes of it. */
    public void cancel(String userId, UUID spinId) {
        send("DELETE", "/v1/spins/" + spinId + "?userId=" + userId, null, new Call("cancel"));
    }

    /** An event of spin.matches about one of the crowd's users. */
    public void onEvent(MatchEvent event) {
        listener.eventSeen();
        if (!seenEvents.add(event.eventId())) {
            listener.duplicateEvent(); // at-least-once relay: a redelivered event is harmless
            return;
        }
        if (event instanceof MatchCreated created) {
            onMatched(created);
        } else if (event instanceof MatchEnded ended) {
            onMatchEnded(ended);
        } else if (event instanceof SpinCancelled cancelled) {
            onSpinOver(cancelled.spinId(), "cancelled");
        } else if (event instanceof SpinExpired expired) {
            onSpinOver(expired.spinId(), "expired");
        }
    }

    /** Caller holds the user's monitor. A spin while matched is a "next", while waiting a respin. */
    private void spin(SimulatedUser user) {
        UUID spinId = UUID.randomUUID();
        UUID previous = user.state == SimulatedUser.State.WAITING ? user.spinId : null;
        OpenSpin record = new OpenSpin(user);
        open.put(spinId, record);
        spinsSent.incrementAndGet();
        user.state = SimulatedUser.State.SPINNING;
        user.spinId = spinId;
        send("POST", "/v1/spins",
                "{\"userId\":\"" + user.id + "\",\"pool\":\"" + user.pool + "\",\"spinId\":\"" + spinId + "\"}",
                new Call("spin") {
                    @Override
                    void ok() {
                        accepted.put(spinId, user.id);
                        OpenSpin waited = previous == null ? null : open.remove(previous);
                        if (waited != null) {
                            superseded.put(previous, waited);
                        }
                        accepted(user, spinId, record);
                    }

                    @Override
                    void failed() {
                        open.remove(spinId);
                        rejected(user, spinId);
                    }
                });
    }

    private void accepted(SimulatedUser user, UUID spinId, OpenSpin record) {
        listener.spinAccepted();
        record.acceptedNanos = System.nanoTime();
        synchronized (user) {
            if (user.state != SimulatedUser.State.SPINNING || !spinId.equals(user.spinId)) {
                return; // the outcome event came first
            }
            user.state = SimulatedUser.State.WAITING;
            Behaviour b = user.behaviour;
            double roll = ThreadLocalRandom.current().nextDouble();
            if (roll < b.disconnect()) {
                user.ghost = true;
            } else if (roll < b.disconnect() + b.cancel()) {
                later(user, () -> cancelWaiting(user, spinId));
            } else if (roll < b.disconnect() + b.cancel() + b.respin()) {
                later(user, () -> respin(user, spinId));
            }
        }
    }

    private void rejected(SimulatedUser user, UUID spinId) {
        synchronized (user) {
            if (spinId.equals(user.spinId) && user.state == SimulatedUser.State.SPINNING) {
                user.state = SimulatedUser.State.IDLE;
                later(user, () -> idle.add(user)); // back off before trying again
            }
        }
    }

    private void cancelWaiting(SimulatedUser user, UUID spinId) {
        synchronized (user) {
            if (user.state == SimulatedUser.State.WAITING && spinId.equals(user.spinId) && user.act()) {
                cancel(user.id, spinId);
            }
        }
    }

    private void respin(SimulatedUser user, UUID spinId) {
        synchronized (user) {
            if (user.state == SimulatedUser.State.WAITING && spinId.equals(user.spinId) && user.act()) {
                spin(user);
            }
        }
    }

    private void afterMatch(SimulatedUser user, UUID matchId) {
        synchronized (user) {
            if (user.state != SimulatedUser.State.MATCHED || !matchId.equals(user.matchId) || user.ghost
                    || !user.act()) {
                return;
            }
            if (ThreadLocalRandom.current().nextDouble() < user.behaviour.next()) {
                spin(user);
            } else {
                send("POST", "/v1/matches/" + matchId + "/end", "{\"userId\":\"" + user.id + "\"}", new Call("end"));
            }
        }
    }

    private void onMatched(MatchCreated created) {
        OpenSpin record = resolve(created.spinId(), "match_created");
        if (record == null) {
            return;
        }
        long accepted = record.acceptedNanos;
        listener.spinMatched(accepted == 0 ? 0 : System.nanoTime() - accepted);
        SimulatedUser user = record.user;
        synchronized (user) {
            if (!created.spinId().equals(user.spinId)) {
                return;
            }
            user.state = SimulatedUser.State.MATCHED;
            user.matchId = created.matchId();
        }
        later(user, () -> afterMatch(user, created.matchId()));
    }

    private void onMatchEnded(MatchEnded ended) {
        listener.matchEnded();
        SimulatedUser user = users.get(ended.userId());
        if (user == null) {
            return;
        }
        synchronized (user) {
            if (user.state == SimulatedUser.State.MATCHED && ended.matchId().equals(user.matchId)) {
                becomeIdle(user);
            }
        }
    }

    private void onSpinOver(UUID spinId, String outcome) {
        OpenSpin record = resolve(spinId, "spin_" + outcome);
        if (record == null) {
            return;
        }
        if (outcome.equals("cancelled")) {
            listener.spinCancelled();
        } else {
            listener.spinExpired();
        }
        SimulatedUser user = record.user;
        synchronized (user) {
            if (spinId.equals(user.spinId)) {
                becomeIdle(user);
            }
        }
    }

    /**
     * The first outcome of a spin closes it; a second, different outcome breaks invariant 5. A spin set aside
     * as superseded that gets an outcome after all (its match came before the respin) takes that outcome.
     */
    private OpenSpin resolve(UUID spinId, String outcome) {
        OpenSpin record = open.remove(spinId);
        if (record == null) {
            record = superseded.remove(spinId);
        }
        if (record == null) {
            listener.error("second_outcome_or_unknown_spin:" + outcome);
        }
        return record;
    }

    private void becomeIdle(SimulatedUser user) {
        user.state = SimulatedUser.State.IDLE;
        user.ghost = false;
        user.matchId = null;
        later(user, () -> idle.add(user));
    }

    /** Runs an action after a random think time up to the user's hold, unless the crowd has stopped acting. */
    private void later(SimulatedUser user, Runnable action) {
        if (!acting) {
            return;
        }
        long delay = ThreadLocalRandom.current().nextLong(user.behaviour.hold().toMillis() + 1);
        scheduled.incrementAndGet();
        try {
            timer.schedule(() -> {
                try {
                    if (acting) {
                        action.run();
                    }
                } finally {
                    scheduled.decrementAndGet();
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            scheduled.decrementAndGet(); // stopping
        }
    }

    private void send(String method, String path, String body, Call call) {
        inFlight.incrementAndGet();
        listener.requestSent();
        transport.send(method, path, body, call);
    }

    /** One request's outcome: 2xx is {@link #ok()}, anything else is counted by kind and {@link #failed()}. */
    private class Call implements Transport.Answer {
        private final String action;

        Call(String action) {
            this.action = action;
        }

        void ok() {
        }

        void failed() {
        }

        @Override
        public void onStatus(int status) {
            inFlight.decrementAndGet();
            if (status >= 200 && status < 300) {
                ok();
            } else {
                listener.error(action + ":http_" + status);
                failed();
            }
        }

        @Override
        public void onFailure(String kind) {
            inFlight.decrementAndGet();
            listener.error(action + ":" + kind);
            failed();
        }
    }
}
