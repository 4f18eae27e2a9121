package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /v1/spins/{id} and GET /v1/users/{id} show what the database holds (seeded with the SQL functions). */
class StateIsReadFromPostgresTest {
    private static final UUID ALICE_SPIN = UUID.randomUUID();
    private static final UUID BOB_SPIN = UUID.randomUUID();
    private static final UUID CAROL_SPIN = UUID.randomUUID();
    private static RealBackendsApi api;

    @BeforeAll
    static void start() throws Exception {
        api = new RealBackendsApi();
        try (Connection db = api.database.connect()) {
            join(db, "alice", ALICE_SPIN);
            join(db, "bob", BOB_SPIN);
            db.createStatement().execute("SELECT * FROM spin.process_matching(ARRAY['alice','bob'])");
            join(db, "carol", CAROL_SPIN);
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void matchedSpinShowsItsMatchAndPartner() throws Exception {
        JsonNode spin = get("/v1/spins/" + ALICE_SPIN);

        assertThat(spin.get("status").asText()).isEqualTo("matched");
        assertThat(spin.get("userId").asText()).isEqualTo("alice");
        assertThat(spin.get("partnerId").asText()).isEqualTo("bob");
        assertThat(spin.get("matchId").asText()).isNotBlank();
    }

    @Test
    void usersShowWaitingAndMatchedState() throws Exception {
        JsonNode bob = get("/v1/users/bob");
        JsonNode carol = get("/v1/users/carol");

        assertThat(bob.get("state").asText()).isEqualTo("matched");
        assertThat(bob.get("partnerId").asText()).isEqualTo("alice");
        assertThat(bob.get("matchId").asText()).isEqualTo(get("/v1/spins/" + BOB_SPIN).get("matchId").asText());
        assertThat(carol.get("state").asText()).isEqualTo("waiting");
        assertThat(carol.get("spinId").asText()).isEqualTo(CAROL_SPIN.toString());
        assertThat(carol.has("matchId")).isFalse();
    }

    @Test
    void unknownIdsAre404() throws Exception {
        assertThat(api.client.authorized("GET", "/v1/users/nobody", null).statusCode()).isEqualTo(404);
        assertThat(api.client.authorized("GET", "/v1/spins/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void readinessSeesKafkaAndTheDatabase() throws Exception {
        HttpResponse<String> ready = api.client.send("GET", "/readyz", (String) null);

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"kafka\":\"up\"").contains("\"db\":\"up\"");
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = api.client.authorized("GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static void join(Connection db, String user, UUID spin) throws Exception {
        try (PreparedStatement join = db.prepareStatement("SELECT spin.join_queue(?, 'default', ?)")) {
            join.setString(1, user);
            join.setObject(2, spin);
            join.execute();
        }
    }
}
