package dev.spinmatch.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;

/**
 * Simulated users through the API container's port, each a thread acting in a loop until stopped: spin
 * (a spin id chosen here), wait for the outcome on spin.matches; with no partner within
 * {@link #PATIENCE}, cancel and wait for that outcome; think a moment; spin again (a "next" that ends
 * the match it got). A 503 is retried with the same spin id after its Retry-After, as the API contract
 * asks of a caller; so is a refused connection. Every answer is kept with its time, every 202 with its
 * spin. On {@link #stop} each user finishes its last spin (cancels it if still waiting), so every
 * accepted spin must reach an outcome. The seed fixes each user's pools, think times and spin ids.
 */
public final class SpinningUsers {
    public static final Duration PATIENCE = Duration.ofSeconds(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final String token;
    private final OutcomeFeed feed;
    private final List<Thread> users = new ArrayList<>();
    private final Map<UUID, String> accepted = new ConcurrentHashMap<>();
    private final Map<UUID, Long> lastAcceptedRequest = new ConcurrentHashMap<>();
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile long finishBy = Long.MAX_VALUE;

    /** One answer of the API: when, to which action, with which HTTP status (0: no answer). */
    public record Answer(long atMillis, String action, int status) {
    }

    /** Starts {@code userCount} users ({@code userIds}), spinning in pools p0..p{pools-1}, through the API with {@code token}. */
    public SpinningUsers(URI api, String token, OutcomeFeed feed, IntFunction<String> userIds, int userCount, int pools, long seed) {
        this.api = api;
        this.token = token;
        this.feed = feed;
        for (int i = 0; i < userCount; i++) {
            String user = userIds.apply(i);
            Random random = new Random(seed * 1_000_003L + i);
            users.add(new Thread(() -> act(user, random, pools), "user-" + user));
        }
        users.forEach(Thread::start);
    }

    /**
     * Stops the users; each finishes its last spin within {@code limit} (an outcome still missing
     * then is the audit's to report). Returns how many users had not finished.
     */
    public long stop(Duration limit) throws InterruptedException {
        finishBy = System.currentTimeMillis() + limit.toMillis();
        running = false;
        for (Thread user : users) {
            user.join(Math.max(1, finishBy + 5_000 - System.currentTimeMillis()));
        }
        return users.stream().filter(Thread::isAlive).count();
    }

    /** Spins answered 202, with their user. */
    public Map<UUID, String> accepted() {
        return Map.copyOf(accepted);
    }

    /** When the last request about the spin (its join, or its cancel) was answered 202. */
    public Long lastAcceptedRequest(UUID spinId) {
        return lastAcceptedRequest.get(spinId);
    }

    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    private void act(String user, Random random, int pools) {
        try {
            while (running) {
                UUID spinId = new UUID(random.nextLong(), random.nextLong());
                String body = "{\"userId\":\"" + user + "\",\"pool\":\"p" + random.nextInt(pools) + "\",\"spinId\":\"" + spinId + "\"}";
                if (!send("spin", "POST", "/v1/spins", body)) {
                    return;
                }
                accepted.put(spinId, user);
                lastAcceptedRequest.put(spinId, System.currentTimeMillis());
                if (!awaitWhileRunning(spinId)) {
                    finish(user, spinId);
                }
                Thread.sleep(20 + random.nextInt(60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the outcome up to {@link #PATIENCE}, less if the load stops; true once announced. */
    private boolean awaitWhileRunning(UUID spinId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + PATIENCE.toMillis();
        while (running && System.currentTimeMillis() < deadline) {
            if (feed.await(spinId, Duration.ofMillis(100))) {
                return true;
            }
        }
        return feed.announcedAt(spinId) != null;
    }

    /** Cancels the spin and waits for its outcome (cancelled, or matched if a partner came first). */
    private void finish(String user, UUID spinId) throws InterruptedException {
        if (!send("cancel", "DELETE", "/v1/spins/" + spinId + "?userId=" + user, null)) {
            return;
        }
        lastAcceptedRequest.put(spinId, System.currentTimeMillis());
        while (System.currentTimeMillis() < finishBy && !feed.await(spinId, Duration.ofMillis(500))) {
            // a fault may hold the outcome back; the user waits for it
        }
    }

    /** Sends until answered 202 (true), or another status, or the load must be finished by now (false). */
    private boolean send(String action, String method, String path, String body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        while (System.currentTimeMillis() < finishBy) {
            long retryAfterMillis = 1_000;
            try {
                HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                answers.add(new Answer(System.currentTimeMillis(), action, response.statusCode()));
                if (response.statusCode() != 503) {
                    return response.statusCode() == 202;
                }
                retryAfterMillis = 1_000 * response.headers().firstValueAsLong("Retry-After").orElse(1);
            } catch (IOException e) {
                answers.add(new Answer(System.currentTimeMillis(), action, 0));
            }
            Thread.sleep(retryAfterMillis);
        }
        return false;
    }
}
