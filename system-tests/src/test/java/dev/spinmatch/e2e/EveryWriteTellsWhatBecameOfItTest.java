package dev.spinmatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Some writes answered 202 and silently did nothing, and the caller could never learn it: ending a match one is
 * not in, cancelling another user's spin or a matched one, an unknown match, a spin id reused by another user.
 * Every 202 names its event and where to read what became of it; the match and spin resources list what changed
 * nothing about them, with why. Through the real API, worker, Kafka and PostgreSQL.
 */
class EveryWriteTellsWhatBecameOfItTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static SpinSystem system;
    private static String alice;
    private static String bob;
    private static String carol;
    private static UUID aliceSpin;
    private static UUID bobSpin;
    private static UUID match;

    @BeforeAll
    static void aliceAndBobAreMatched() throws Exception {
        system = new SpinSystem(3, 1);
        alice = system.user(1);
        bob = system.user(2);
        carol = system.user(3);
        JsonNode aliceJoined = write("POST", "/v1/spins", "{\"userId\":\"" + alice + "\",\"pool\":\"outcomes\"}");
        JsonNode bobJoined = write("POST", "/v1/spins", "{\"userId\":\"" + bob + "\",\"pool\":\"outcomes\"}");
        aliceSpin = UUID.fromString(aliceJoined.get("spinId").asText());
        bobSpin = UUID.fromString(bobJoined.get("spinId").asText());
        assertThat(outcome(aliceJoined).get("status").asText()).isEqualTo("applied");
        assertThat(outcome(bobJoined).get("status").asText()).isEqualTo("applied");
        AtomicReference<JsonNode> user = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            user.set(read("/v1/users/" + alice));
            return user.get() != null && "matched".equals(user.get().get("state").asText());
        });
        match = UUID.fromString(user.get().get("matchId").asText());
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void endingAMatchOneIsNotInIsANoOpNamedOnTheEventAndTheMatch() throws Exception {
        JsonNode end = write("POST", "/v1/matches/" + match + "/end", "{\"userId\":\"" + carol + "\"}");

        JsonNode outcome = outcome(end);
        assertThat(outcome.get("status").asText()).isEqualTo("noop");
        assertThat(outcome.get("reason").asText()).isEqualTo("not a participant");
        assertThat(outcome.get("type").asText()).isEqualTo("end_match");
        JsonNode resource = read("/v1/matches/" + match);
        assertThat(resource.get("status").asText()).isEqualTo("active");
        assertThat(resource.get("notApplied").toString()).contains(end.get("eventId").asText()).contains("not a participant");
    }

    @Test
    void cancellingAnotherUsersSpinOrAMatchedOneIsANoOpNamedOnTheSpin() throws Exception {
        JsonNode byCarol = write("DELETE", "/v1/spins/" + aliceSpin + "?userId=" + carol, null);
        JsonNode byAlice = write("DELETE", "/v1/spins/" + aliceSpin + "?userId=" + alice, null);

        assertThat(outcome(byCarol).get("reason").asText()).isEqualTo("not your spin");
        assertThat(outcome(byAlice).get("reason").asText()).isEqualTo("spin already matched");
        JsonNode spin = read("/v1/spins/" + aliceSpin);
        assertThat(spin.get("status").asText()).isEqualTo("matched");
        assertThat(spin.get("notApplied").toString()).contains("not your spin").contains("spin already matched");
    }

    @Test
    void aSpinIdOfAnotherUserIsRejected() throws Exception {
        JsonNode reused = write("POST", "/v1/spins", "{\"userId\":\"" + carol + "\",\"spinId\":\"" + bobSpin + "\"}");

        JsonNode outcome = outcome(reused);
        assertThat(outcome.get("status").asText()).isEqualTo("rejected");
        assertThat(outcome.get("reason").asText()).contains("spin id used by another user");
    }

    @Test
    void anUnknownMatchIsNamed() throws Exception {
        JsonNode end = write("POST", "/v1/matches/" + UUID.randomUUID() + "/end", "{\"userId\":\"" + carol + "\"}");

        assertThat(outcome(end).get("reason").asText()).isEqualTo("match not found");
    }

    @Test
    void anEndedMatchSaysWhoEndedItAndASecondEndIsANoOp() throws Exception {
        String dan = system.user(4);
        String erin = system.user(5);
        write("POST", "/v1/spins", "{\"userId\":\"" + dan + "\",\"pool\":\"ended\"}");
        write("POST", "/v1/spins", "{\"userId\":\"" + erin + "\",\"pool\":\"ended\"}");
        AtomicReference<JsonNode> user = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            user.set(read("/v1/users/" + dan));
            return user.get() != null && "matched".equals(user.get().get("state").asText());
        });
        String theirs = user.get().get("matchId").asText();

        assertThat(outcome(write("POST", "/v1/matches/" + theirs + "/end", "{\"userId\":\"" + dan + "\"}"))
                .get("status").asText()).isEqualTo("applied");
        JsonNode again = outcome(write("POST", "/v1/matches/" + theirs + "/end", "{\"userId\":\"" + erin + "\"}"));
        JsonNode ended = read("/v1/matches/" + theirs);

        assertThat(again.get("reason").asText()).isEqualTo("match not active");
        assertThat(ended.get("status").asText()).isEqualTo("ended");
        assertThat(ended.get("endedBy").asText()).isEqualTo(dan);
        assertThat(ended.get("endReason").asText()).isEqualTo("ended");
    }

    /** A write: 202 with the event's id and URL. */
    private static JsonNode write(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.apiUri() + path))
                .header("Authorization", "Bearer " + SpinSystem.TOKEN);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(response.body());
        assertThat(accepted.get("eventUrl").asText()).startsWith("/v1/events/" + accepted.get("eventId").asText() + "?");
        return accepted;
    }

    /** Polls the event's URL until it is no longer pending, as the OpenAPI document tells a client to. */
    private static JsonNode outcome(JsonNode accepted) {
        AtomicReference<JsonNode> outcome = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            outcome.set(read(accepted.get("eventUrl").asText()));
            return !"pending".equals(outcome.get().get("status").asText());
        });
        return outcome.get();
    }

    /** A GET; null on 404. */
    private static JsonNode read(String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(system.apiUri() + path))
                .header("Authorization", "Bearer " + SpinSystem.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
