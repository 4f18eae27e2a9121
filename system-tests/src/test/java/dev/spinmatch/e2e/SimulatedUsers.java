package dev.spinmatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Thousands of users acting at once through the API. Each user runs a short script, one request at
 * a time with a random think time between them: a spin, then {@code actions} more, each either a
 * cancel of its last spin or another spin (a "next" when it was matched meanwhile, a superseding
 * spin when it still waited). The first {@code alone} users each spin in a pool of their own and never
 * cancel in their script: nobody can match them, so each of their later spins supersedes a waiting
 * one, however fast the others are matched. Every spin id is chosen here and remembered when the API
 * answers 202.
 * The JDK HttpClient, with at most {@link #IN_FLIGHT} requests in flight (spinctl's faster client
 * would bring spinctl's jar, whose manifest class path duplicates the PostgreSQL binaries).
 * A 503 (Kafka did not acknowledge in time: nothing was stored) is retried after its Retry-After
 * with the same spin id, as the API contract asks of a caller, at most {@link #RETRIES_OF_503} times.
 */
final class SimulatedUsers implements AutoCloseable {
    private static final double CANCEL = 0.3;
    private static final long THINK_MILLIS = 40;
    /** Enough to keep the API busy when a loaded machine answers a request in a second or two. */
    private static final int IN_FLIGHT = 256;
    private static final int RETRIES_OF_503 = 5;
    private final SpinSystem system;
    private final int users;
    private final int actions;
    private final Set<String> alone;
    private final Map<UUID, String> accepted = new ConcurrentHashMap<>();
    private final Map<String, UUID> lastSpin = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final AtomicInteger spinsSent = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final URI api;
    private CountDownLatch done;

    SimulatedUsers(SpinSystem system, int users, int actions, int alone) {
        this.system = system;
        this.users = users;
        this.actions = actions;
        this.alone = IntStream.range(0, alone).mapToObj(system::user).collect(Collectors.toUnmodifiableSet());
        this.api = system.apiUri();
    }

    /** Runs every user's script to its end; false when that took longer than {@code limit}. */
    boolean run(Duration limit) throws InterruptedException {
        done = new CountDownLatch(users);
        for (int i = 0; i < users; i++) {
            spin(system.user(i), actions);
        }
        return done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The given users cancel the given spins (those still waiting), so every spin reaches an outcome;
     * false when the answers took longer than {@code limit}.
     */
    boolean cancel(Map<String, UUID> spinsByUser, Duration limit) throws InterruptedException {
        done = new CountDownLatch(spinsByUser.size());
        spinsByUser.forEach((user, spinId) -> cancel(user, spinId, 0));
        return done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * After the scripts: every request was answered 2xx and the system went quiet with the invariants
     * holding (stranded users included) while users still wait; then every waiting user cancels and the
     * system goes quiet again, so every accepted spin has its outcome.
     */
    void cancelTheWaitingOnceQuiet() throws InterruptedException {
        assertThat(failures()).as("requests not answered 2xx").isEmpty();
        system.awaitQuiescence();
        assertThat(system.violations()).as("invariants, stranded users included, with users still waiting").isEmpty();
        assertThat(cancel(system.openSpins(), Duration.ofMinutes(1))).as("every waiting user cancelled").isTrue();
        assertThat(failures()).as("requests not answered 2xx").isEmpty();
        system.awaitQuiescence();
    }

    /** Spins answered 202, with their user. */
    Map<UUID, String> accepted() {
        return Map.copyOf(accepted);
    }

    /** Requests not answered 2xx, by action and status or failure kind. */
    Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Spin requests sent so far. */
    int spinsSent() {
        return spinsSent.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void spin(String user, int remaining) {
        UUID spinId = UUID.randomUUID();
        spinsSent.incrementAndGet();
        String body = "{\"userId\":\"" + user + "\",\"pool\":\"" + pool(user) + "\",\"spinId\":\"" + spinId + "\"}";
        send("POST", "/v1/spins", body, new Step("spin", user, remaining) {
            @Override
            void accepted() {
                SimulatedUsers.this.accepted.put(spinId, user);
                lastSpin.put(user, spinId);
            }
        });
    }

    private void cancel(String user, UUID spinId, int remaining) {
        send("DELETE", "/v1/spins/" + spinId + "?userId=" + user, null, new Step("cancel", user, remaining));
    }

    /** Waits for a free slot (back pressure on the caller: the timer or the starting thread), then sends. */
    private void send(String method, String path, String body, Step step) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + SpinSystem.TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        inFlight.acquireUninterruptibly();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            inFlight.release();
            if (error == null && response.statusCode() == 503 && step.retries++ < RETRIES_OF_503) {
                long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
                timer.schedule(() -> send(method, path, body, step), retryAfter, TimeUnit.SECONDS);
            } else if (error == null) {
                step.onResponse(response.statusCode());
            } else {
                step.onFailure(error.getClass().getSimpleName());
            }
        });
    }

    private void next(String user, int remaining) {
        if (remaining == 0) {
            done.countDown();
        } else if (!alone.contains(user) && lastSpin.containsKey(user) && ThreadLocalRandom.current().nextDouble() < CANCEL) {
            cancel(user, lastSpin.get(user), remaining - 1);
        } else {
            spin(user, remaining - 1);
        }
    }

    /** Four pools, so matching runs in several queues at once; a pool of its own for a user alone. */
    private String pool(String user) {
        return alone.contains(user) ? "alone-" + user : "pool-" + Math.floorMod(user.hashCode(), 4);
    }

    /** One request of a user's script; on its answer the user thinks a moment, then acts again. */
    private class Step {
        private final String action;
        private final String user;
        private final int remaining;
        private int retries;

        Step(String action, String user, int remaining) {
            this.action = action;
            this.user = user;
            this.remaining = remaining;
        }

        void accepted() {
        }

        void onResponse(int status) {
            if (status == 202) {
                accepted();
            } else {
                failed(action + ":http_" + status);
            }
            continueLater();
        }

        void onFailure(String kind) {
            failed(action + ":" + kind);
            continueLater();
        }

        private void failed(String kind) {
            failures.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }

        private void continueLater() {
            timer.schedule(() -> next(user, remaining), ThreadLocalRandom.current().nextLong(THINK_MILLIS + 1),
                    TimeUnit.MILLISECONDS);
        }
    }
}
