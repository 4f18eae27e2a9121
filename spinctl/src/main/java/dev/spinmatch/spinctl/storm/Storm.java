package dev.spinmatch.spinctl.storm;

import dev.spinmatch.events.MatchCreated;
import dev.spinmatch.events.MatchEnded;
import dev.spinmatch.events.MatchEvent;
import dev.spinmatch.events.SpinCancelled;
import dev.spinmatch.events.SpinExpired;
import dev.spinmatch.spinctl.check.InvariantCheck;
import dev.spinmatch.spinctl.check.Violation;
import dev.spinmatch.spinctl.http.HttpLoadClient;
import dev.spinmatch.spinctl.http.ResponseHandler;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulated users against a running API. Each user spins, and on the outcome it reads from
 * {@code spin.matches} acts again: cancels while waiting, ends the match or spins straight into the
 * next one, or vanishes so its spin must expire. Every spin id is chosen here, so the 202 and the
 * match event of one spin meet in {@link #open}.
 */
public final class Storm {
    /** No event for this long means the pipeline is idle: longer than the stranded grace of one second. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);
    private final StormOptions options;
    private final PrintStream progress;
    private final StormStats stats = new StormStats();
    private final List<SimUser> users = new ArrayList<>();
    private final ConcurrentLinkedQueue<SimUser> idle = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<UUID, SpinRecord> open = new ConcurrentHashMap<>();
    private final Set<UUID> seenEvents = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "storm-timer");
        t.setDaemon(true);
        return t;
    });
    private HttpLoadClient client;
    private volatile boolean acting = true;

    public Storm(StormOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        for (int i = 0; i < options.users(); i++) {
            SimUser user = new SimUser(options.userId(i), options.pool(i));
            users.add(user);
            idle.add(user);
        }
    }

    /**
     * Runs the storm; once the load stops and no event arrived for a while, runs {@code check} (when
     * given) while the last users still wait, so stranded users show; then cancels what still waits and
     * returns what it saw.
     */
    public StormResult run(InvariantCheck check, String grace) throws InterruptedException, SQLException {
        long started = System.nanoTime();
        try (MatchFeed feed = new MatchFeed(options.kafkaBootstrap(), options.matchesTopic(), options.userPrefix(),
                this::onEvent, stats::error)) {
            client = new HttpLoadClient(options.api(), options.token(), options.connections(), options.pipeline(),
                    options.ioThreads());
            drive();
            acting = false;
            timer.shutdownNow();
            awaitInFlight();
            List<Violation> violations = check == null ? null : checkWhenQuiet(check, grace);
            long drained = drain();
            client.close();
            return StormResult.of(options, stats, open.size(), System.nanoTime() - started, drained, violations);
        }
    }

    /** Starts spins at the configured rate or concurrency until the duration is over; prints a line a second. */
    private void drive() {
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        long nextTick = start + TimeUnit.SECONDS.toNanos(1);
        double credit = 0;
        long last = start;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (options.rate() > 0) {
                credit = Math.min(credit + options.rate() * (now - last) / 1e9, Math.max(1, options.rate() / 10.0));
                for (; credit >= 1 && spinNext(); credit--) {
                    // one spin per whole credit
                }
            } else {
                while (inFlight.get() < options.concurrency() && spinNext()) {
                    // fill up to the concurrency
                }
            }
            last = now;
            if (now >= nextTick) {
                printProgress(stats.tick());
                nextTick += TimeUnit.SECONDS.toNanos(1);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private void printProgress(StormStats.Second s) {
        progress.printf("%4d s  accepted %,7d/s  matches %,7d/s  errors %,d  in flight %d  waiting %,d%n",
                s.second(), s.accepted(), s.matches(), s.errors(), inFlight.get(), open.size());
    }

    private boolean spinNext() {
        SimUser user = idle.poll();
        if (user == null) {
            return false;
        }
        synchronized (user) {
            spin(user);
        }
        return true;
    }

    /** Caller holds the user's monitor. A spin while matched is a "next": the server ends the match first. */
    private void spin(SimUser user) {
        UUID spinId = UUID.randomUUID();
        SpinRecord record = new SpinRecord(user);
        open.put(spinId, record);
        user.state = SimUser.State.SPINNING;
        user.spinId = spinId;
        send("POST", "/v1/spins",
                "{\"userId\":\"" + user.id + "\",\"pool\":\"" + user.pool + "\",\"spinId\":\"" + spinId + "\"}",
                new Call("spin") {
                    @Override
                    void ok() {
                        accepted(user, spinId, record);
                    }

                    @Override
                    void failed() {
                        open.remove(spinId);
                        rejected(user, spinId);
                    }
                });
    }

    private void accepted(SimUser user, UUID spinId, SpinRecord record) {
        stats.accepted.increment();
        record.acceptedNanos = System.nanoTime();
        synchronized (user) {
            if (user.state != SimUser.State.SPINNING || !spinId.equals(user.spinId)) {
                return; // the outcome event came first
            }
            user.state = SimUser.State.WAITING;
            double roll = ThreadLocalRandom.current().nextDouble();
            if (roll < options.disconnect()) {
                user.ghost = true;
            } else if (roll < options.disconnect() + options.cancel()) {
                later(() -> cancel(user, spinId));
            }
        }
    }

    private void rejected(SimUser user, UUID spinId) {
        synchronized (user) {
            if (spinId.equals(user.spinId) && user.state == SimUser.State.SPINNING) {
                user.state = SimUser.State.IDLE;
                later(() -> idle.add(user)); // back off before trying again
            }
        }
    }

    private void cancel(SimUser user, UUID spinId) {
        synchronized (user) {
            if (user.state == SimUser.State.WAITING && spinId.equals(user.spinId)) {
                send("DELETE", "/v1/spins/" + spinId + "?userId=" + user.id, null, new Call("cancel"));
            }
        }
    }

    private void afterMatch(SimUser user, UUID matchId) {
        synchronized (user) {
            if (user.state != SimUser.State.MATCHED || !matchId.equals(user.matchId) || user.ghost) {
                return;
            }
            if (ThreadLocalRandom.current().nextDouble() < options.next()) {
                spin(user);
            } else {
                send("POST", "/v1/matches/" + matchId + "/end", "{\"userId\":\"" + user.id + "\"}", new Call("end"));
            }
        }
    }

    private void onEvent(MatchEvent event) {
        stats.eventSeen();
        if (!seenEvents.add(event.eventId())) {
            stats.duplicateEvents.increment(); // at-least-once relay: a redelivered event is harmless
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

    private void onMatched(MatchCreated created) {
        SpinRecord record = resolve(created.spinId(), "match_created");
        if (record == null) {
            return;
        }
        stats.matchedSpins.increment();
        long accepted = record.acceptedNanos;
        stats.matchLatency(accepted == 0 ? 0 : System.nanoTime() - accepted);
        SimUser user = record.user;
        synchronized (user) {
            if (!created.spinId().equals(user.spinId)) {
                return;
            }
            user.state = SimUser.State.MATCHED;
            user.matchId = created.matchId();
        }
        later(() -> afterMatch(user, created.matchId()));
    }

    private void onMatchEnded(MatchEnded ended) {
        stats.matchesEnded.increment();
        for (SimUser user : usersOf(ended.userId())) {
            synchronized (user) {
                if (user.state == SimUser.State.MATCHED && ended.matchId().equals(user.matchId)) {
                    becomeIdle(user);
                }
            }
        }
    }

    private void onSpinOver(UUID spinId, String outcome) {
        SpinRecord record = resolve(spinId, "spin_" + outcome);
        if (record == null) {
            return;
        }
        (outcome.equals("cancelled") ? stats.cancelled : stats.expired).increment();
        SimUser user = record.user;
        synchronized (user) {
            if (spinId.equals(user.spinId)) {
                becomeIdle(user);
            }
        }
    }

    /** The first outcome of a spin closes it; a second, different outcome breaks invariant 5. */
    private SpinRecord resolve(UUID spinId, String outcome) {
        SpinRecord record = open.remove(spinId);
        if (record == null) {
            stats.error("second_outcome_or_unknown_spin:" + outcome);
        }
        return record;
    }

    private void becomeIdle(SimUser user) {
        user.state = SimUser.State.IDLE;
        user.ghost = false;
        user.matchId = null;
        if (acting) {
            later(() -> idle.add(user));
        }
    }

    private List<SimUser> usersOf(String userId) {
        int index = Integer.parseInt(userId.substring(options.userPrefix().length()));
        return index >= 0 && index < users.size() ? List.of(users.get(index)) : List.of();
    }

    /** Runs an action after a random think time up to {@code hold}, unless the storm has stopped acting. */
    private void later(Runnable action) {
        long delay = ThreadLocalRandom.current().nextLong(options.hold().toMillis() + 1);
        if (acting) {
            try {
                timer.schedule(() -> {
                    if (acting) {
                        action.run();
                    }
                }, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private List<Violation> checkWhenQuiet(InvariantCheck check, String grace) throws InterruptedException,
            SQLException {
        progress.println("waiting for quiescence, then checking invariants");
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (stats.nanosSinceLastEvent() < QUIET_NANOS && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return check.violations(grace);
    }

    /** Waits (at most the drain timeout) for the answers to requests already sent. */
    private void awaitInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /**
     * Cancels every spin still waiting (ghosts included) and waits until each accepted spin has its
     * outcome or the drain timeout passes. Returns how long it took in nanoseconds.
     */
    private long drain() throws InterruptedException {
        long start = System.nanoTime();
        for (SimUser user : users) {
            synchronized (user) {
                if (user.state == SimUser.State.WAITING) {
                    send("DELETE", "/v1/spins/" + user.spinId + "?userId=" + user.id, null, new Call("drain_cancel"));
                }
            }
        }
        long deadline = start + options.drainTimeout().toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        awaitInFlight();
        return System.nanoTime() - start;
    }

    private void send(String method, String path, String body, Call call) {
        inFlight.incrementAndGet();
        stats.requests.increment();
        client.send(method, path, body, call);
    }

    /** One request's outcome: 2xx is {@link #ok()}, anything else is counted by kind and {@link #failed()}. */
    private class Call implements ResponseHandler {
        private final String action;

        Call(String action) {
            this.action = action;
        }

        void ok() {
        }

        void failed() {
        }

        @Override
        public void onResponse(int status, byte[] body) {
            inFlight.decrementAndGet();
            if (status >= 200 && status < 300) {
                ok();
            } else {
                stats.error(action + ":http_" + status);
                failed();
            }
        }

        @Override
        public void onFailure(String kind) {
            inFlight.decrementAndGet();
            stats.error(action + ":" + kind);
            failed();
        }
    }
}
