package dev.spinmatch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Users who end other users' matches and cancel other users' spins, in crossed pairs sent at the same
 * moment: a1 ends b's match while b1 ends a's; u1 cancels v's spin while v1 cancels u's. Each pair's
 * two users usually live in different partitions, so their events meet in concurrent batches of
 * different workers. By contract each is a no-op; the lock order of {@code spin._end} made the
 * crossed ends deadlock. The victims are storm users: their matches are read through the API
 * ({@code GET /v1/users/{id}}), their spins are the ones the API accepted.
 */
final class Trespassers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SpinSystem system;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong notAccepted = new AtomicLong();

    Trespassers(SpinSystem system) {
        this.system = system;
    }

    /** One round: {@code pairs} crossed ends among the matches of {@code users}, and as many crossed cancels. */
    void crossOnce(List<String> users, Map<UUID, String> acceptedSpins, int pairs) {
        List<String[]> matches = activeMatches(users, pairs * 2);
        List<CompletableFuture<?>> replies = new ArrayList<>();
        for (int i = 0; i + 1 < matches.size(); i += 2) {
            String[] a = matches.get(i);
            String[] b = matches.get(i + 1);
            if (!a[0].equals(b[0])) {
                replies.add(post("/v1/matches/" + b[0] + "/end", a[1]));
                replies.add(post("/v1/matches/" + a[0] + "/end", b[1]));
            }
        }
        List<Map.Entry<UUID, String>> spins = new ArrayList<>(acceptedSpins.entrySet());
        for (int i = 0; i < pairs && spins.size() > 1; i++) {
            Map.Entry<UUID, String> u = spins.get(ThreadLocalRandom.current().nextInt(spins.size()));
            Map.Entry<UUID, String> v = spins.get(ThreadLocalRandom.current().nextInt(spins.size()));
            if (!u.getValue().equals(v.getValue())) {
                replies.add(delete("/v1/spins/" + v.getKey() + "?userId=" + u.getValue()));
                replies.add(delete("/v1/spins/" + u.getKey() + "?userId=" + v.getValue()));
            }
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).join();
    }

    /** Foreign ends and cancels sent. */
    long sent() {
        return sent.get();
    }

    /** Of them, answered other than 202 (they are well-formed: the API accepts them, the worker makes them no-ops). */
    long notAccepted() {
        return notAccepted.get();
    }

    /** Up to {@code wanted} (matchId, userId) of users in a match now. */
    private List<String[]> activeMatches(List<String> users, int wanted) {
        List<CompletableFuture<Optional<String[]>>> reads = new ArrayList<>();
        for (int i = 0; i < wanted * 3; i++) {
            String user = users.get(ThreadLocalRandom.current().nextInt(users.size()));
            reads.add(client.sendAsync(request("GET", "/v1/users/" + user, null), HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> matchOf(user, r)));
        }
        return reads.stream().map(CompletableFuture::join).flatMap(Optional::stream).limit(wanted).toList();
    }

    private static Optional<String[]> matchOf(String user, HttpResponse<String> response) {
        try {
            JsonNode json = JSON.readTree(response.body());
            return response.statusCode() == 200 && json.hasNonNull("matchId")
                    ? Optional.of(new String[] {json.get("matchId").asText(), user}) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private CompletableFuture<?> post(String path, String user) {
        return send(request("POST", path, "{\"userId\":\"" + user + "\"}"));
    }

    private CompletableFuture<?> delete(String path) {
        return send(request("DELETE", path, null));
    }

    private CompletableFuture<?> send(HttpRequest request) {
        sent.incrementAndGet();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
            if (e != null || r.statusCode() != 202) {
                notAccepted.incrementAndGet();
            }
            return null;
        });
    }

    private HttpRequest request(String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(system.apiUri() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + SpinSystem.TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder.build();
    }
}
