package dev.spinmatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.simulation.Behaviour;
import dev.spinmatch.simulation.Crowd;
import dev.spinmatch.simulation.CrowdListener;
import dev.spinmatch.simulation.MatchFeed;
import dev.spinmatch.simulation.SimulatedUser;
import dev.spinmatch.simulation.Transport;
import dev.spinmatch.testkit.SpinFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thousands of users acting at once through the API: spinctl's storm model ({@link Crowd}) driven through the
 * JDK's HttpClient, each user stopping after {@code 1 + actions} requests. Once a spin is accepted a user
 * cancels it (30 %), spins again while it waits (20 %: a superseded spin) or waits; once matched it spins into
 * the next match (half the time) or ends it. The first {@code alone} users each spin in a pool of their own and
 * always spin again while they wait: nobody can match them, so their spins are superseded whatever the timing.
 * A 503 (Kafka did not acknowledge in time: nothing was stored) is retried after its Retry-After with the same
 * request, as the API contract asks of a caller, at most {@link #RETRIES_OF_503} times.
 */
final class SimulatedUsers implements AutoCloseable {
    private static final Duration THINK = Duration.ofMillis(40);
    /** Enough to keep the API busy when a loaded machine answers a request in a second or two. */
    private static final int IN_FLIGHT = 256;
    private static final int RETRIES_OF_503 = 5;
    private final SpinSystem system;
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();
    private final Crowd crowd;
    private final MatchFeed feed;

    SimulatedUsers(SpinSystem system, int users, int actions, int alone) {
        this.system = system;
        Behaviour crowdBehaviour = new Behaviour(0.3, 0.5, 0, 0.2, THINK, 1 + actions);
        Behaviour aloneBehaviour = new Behaviour(0, 0, 0, 1, THINK, 1 + actions);
        List<SimulatedUser> members = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String user = system.user(i);
            members.add(i < alone ? new SimulatedUser(user, "alone-" + user, aloneBehaviour)
                    : new SimulatedUser(user, "pool-" + Math.floorMod(user.hashCode(), 4), crowdBehaviour));
        }
        crowd = new Crowd(members, this::send, new CrowdListener() {
            @Override
            public void error(String kind) {
                failed(kind);
            }
        }, timer);
        feed = new MatchFeed(Map.of("bootstrap.servers", system.bootstrap), Duration.ofSeconds(30),
                SpinFixture.MATCHES_TOPIC, system.prefix, crowd::onEvent, this::failed);
    }

    /** Runs every user to the end of their actions, or until they only wait; false when that took over {@code limit}. */
    boolean run(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            while (crowd.inFlight() < IN_FLIGHT && crowd.spinNext()) {
                // start idle users up to the requests in flight
            }
            if (crowd.settled()) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /**
     * The given users cancel the given spins (those still waiting), so every spin reaches an outcome;
     * false when the answers took longer than {@code limit}.
     */
    boolean cancel(Map<String, UUID> spinsByUser, Duration limit) throws InterruptedException {
        crowd.stopActing();
        spinsByUser.forEach(crowd::cancel);
        long deadline = System.nanoTime() + limit.toNanos();
        while (crowd.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return crowd.inFlight() == 0;
    }

    /**
     * After the run: every request was answered 2xx and the system went quiet with the invariants holding
     * (stranded users included) while users still wait; then every waiting user cancels and the system goes
     * quiet again, so every accepted spin has its outcome.
     */
    void cancelTheWaitingOnceQuiet() throws InterruptedException {
        crowd.stopActing();
        assertThat(failures()).as("requests not answered 2xx").isEmpty();
        system.awaitQuiescence();
        assertThat(system.violations()).as("invariants, stranded users included, with users still waiting").isEmpty();
        assertThat(cancel(system.openSpins(), Duration.ofMinutes(1))).as("every waiting user cancelled").isTrue();
        assertThat(failures()).as("requests not answered 2xx").isEmpty();
        system.awaitQuiescence();
    }

    /** Spins answered 202, with their user. */
    Map<UUID, String> accepted() {
        return crowd.accepted();
    }

    /** Requests not answered 2xx (and outcome events that break an invariant), by kind. */
    Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Spin requests sent so far. */
    int spinsSent() {
        return crowd.spinsSent();
    }

    @Override
    public void close() throws InterruptedException {
        crowd.stopActing();
        timer.shutdownNow();
        feed.close();
    }

    private void failed(String kind) {
        failures.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    /** The crowd's transport: at most {@link #IN_FLIGHT} requests at once, the rest queued, never blocking. */
    private void send(String method, String path, String body, Transport.Answer answer) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.apiUri() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + SpinSystem.TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        queued.add(() -> attempt(request, answer, 0));
        startQueued();
    }

    private void startQueued() {
        while (!queued.isEmpty() && slots.tryAcquire()) {
            Runnable next = queued.poll();
            if (next == null) {
                slots.release();
                return;
            }
            next.run();
        }
    }

    private void attempt(HttpRequest request, Transport.Answer answer, int retries) {
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() == 503 && retries < RETRIES_OF_503) {
                long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
                timer.schedule(() -> attempt(request, answer, retries + 1), retryAfter, TimeUnit.SECONDS);
                return;
            }
            slots.release();
            startQueued();
            if (error == null) {
                answer.onStatus(response.statusCode());
            } else {
                answer.onFailure(error.getClass().getSimpleName());
            }
        });
    }
}
