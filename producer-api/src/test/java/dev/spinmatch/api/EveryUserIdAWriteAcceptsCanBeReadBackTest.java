package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user id POST /v1/spins accepts must reach the database and come back through GET /v1/users/{userId} and
 * DELETE /v1/spins/{spinId}?userId=, URL-encoded the way a client's {@link URI} encodes it. Ids with {@code /},
 * {@code ?} or {@code %} were accepted and could never be read (404, or 400 "Ambiguous URI path separator"), and
 * a {@code +} or {@code &} in a query value reached the API as another id.
 */
class EveryUserIdAWriteAcceptsCanBeReadBackTest {
    private static RealBackendsApi api;

    @BeforeAll
    static void start() throws Exception {
        api = new RealBackendsApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void everyAcceptedIdIsStoredAndReadBackAsItWasWritten() throws Exception {
        List<String> unreadable = new ArrayList<>();
        int accepted = 0;
        try (Connection db = api.database.connect()) {
            for (String userId : candidates()) {
                HttpResponse<String> spin = api.client.authorized("POST", "/v1/spins",
                        Json.MAPPER.writeValueAsString(Map.of("userId", userId)));
                if (spin.statusCode() == 400) {
                    assertThat(Json.MAPPER.readTree(spin.body()).get("field").asText()).isEqualTo("userId");
                    continue;
                }
                assertThat(spin.statusCode()).as(userId + ": " + spin.body()).isEqualTo(202);
                accepted++;
                UUID spinId = UUID.fromString(Json.MAPPER.readTree(spin.body()).get("spinId").asText());
                String problem = readBack(db, userId, spinId);
                if (problem != null) {
                    unreadable.add("'" + userId + "': " + problem);
                }
            }
        }
        assertThat(unreadable).isEmpty();
        assertThat(accepted).as("ids accepted").isGreaterThan(20);
    }

    /** Applies the join as a worker would (the database validates too), then reads it back; null when all agree. */
    private static String readBack(Connection db, String userId, UUID spinId) throws Exception {
        try (PreparedStatement join = db.prepareStatement("SELECT spin.join_queue(?, 'default', ?)")) {
            join.setString(1, userId);
            join.setObject(2, spinId);
            join.execute();
        } catch (java.sql.SQLException e) {
            return "the database rejects it: " + e.getMessage();
        }
        String lenient = new URI("http", null, "localhost", 1, "/v1/users/" + userId, null, null).getRawPath();
        String problem = read(lenient, userId, spinId);
        problem = problem != null ? problem : read("/v1/users/" + strict(userId), userId, spinId);
        return problem != null ? problem : cancel(spinId, userId);
    }

    private static String read(String path, String userId, UUID spinId) throws Exception {
        HttpResponse<String> user = api.client.authorized("GET", path, null);
        if (user.statusCode() != 200) {
            return "GET " + path + " answered " + user.statusCode() + " " + user.body();
        }
        JsonNode read = Json.MAPPER.readTree(user.body());
        boolean same = read.get("userId").asText().equals(userId) && read.get("spinId").asText().equals(spinId.toString());
        return same ? null : "GET " + path + " read another user: " + user.body();
    }

    /** The query as {@link URI} leaves it (":", "@", "+", "&" unescaped), then as an HTML form encodes it. */
    private static String cancel(UUID spinId, String userId) throws Exception {
        for (String cancel : List.of(new URI(null, null, "/v1/spins/" + spinId, "userId=" + userId, null).toASCIIString(),
                "/v1/spins/" + spinId + "?userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8))) {
            HttpResponse<String> cancelled = api.client.authorized("DELETE", cancel,
                    Json.MAPPER.writeValueAsString(Map.of("userId", userId)));
            if (cancelled.statusCode() != 202) {
                return "DELETE " + cancel + " answered " + cancelled.statusCode() + " " + cancelled.body();
            }
        }
        return null;
    }

    /** Every byte but RFC 3986's unreserved characters percent-encoded, as JavaScript's encodeURIComponent does. */
    private static String strict(String id) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return encoded.toString();
    }

    /** Every printable ASCII character alone, inside an id and leading it; dot segments; the length limit. */
    private static List<String> candidates() {
        List<String> ids = new ArrayList<>(List.of(".", "..", "a.b", "alice@example.com", "tenant:42", "u~1",
                "x".repeat(128)));
        for (char c = 0x21; c < 0x7F; c++) {
            ids.add("a" + c + "b");
            ids.add(c + "x");
        }
        return ids;
    }
}
