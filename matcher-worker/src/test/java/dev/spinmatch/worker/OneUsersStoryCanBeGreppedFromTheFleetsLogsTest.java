package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spinmatch.api.ApiOptions;
import dev.spinmatch.api.ApiServer;
import dev.spinmatch.common.Settings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The ID system: a fleet in one JVM (the API and two workers on a real broker and database), its
 * JSON log lines captured to a file with the project's encoder. One user's whole story (API accept,
 * worker apply, match, relay publish) is found by grepping the file for the userId, and again for the
 * traceId the caller sent as X-Request-Id, and every line of it carries eventId, spinId, userId,
 * traceId, and matchId and workerId where a worker decided.
 */
class OneUsersStoryCanBeGreppedFromTheFleetsLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext logging = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    private FileAppender<ILoggingEvent> capture;
    private Path logFile;

    @BeforeEach
    void captureJsonLogs() throws Exception {
        logFile = Files.createTempFile("fleet", ".jsonl");
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(logging);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        capture = new FileAppender<>();
        capture.setContext(logging);
        capture.setFile(logFile.toString());
        capture.setEncoder(encoder);
        capture.start();
        logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
    }

    @AfterEach
    void stopCapture() throws Exception {
        logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(capture);
        capture.stop();
        Files.deleteIfExists(logFile);
    }

    @Test
    void userIdAndTraceIdEachFindTheAcceptApplyMatchAndRelayLines() throws Exception {
        try (Pipeline p = new Pipeline(4); ApiServer api = ApiServer.start(apiOptions(p))) {
            p.startWorker("w1");
            p.startWorker("w2");
            // the partner waits first, so the match is made in the batch of our user's join
            String user = p.prefix + "a-story";
            String partner = p.prefix + "b-partner";
            String trace = "req-" + UUID.randomUUID();
            spin(api, partner, "req-" + UUID.randomUUID());
            await().atMost(Duration.ofSeconds(20)).until(() -> p.count("SELECT count(*) FROM spin.spins WHERE outcome IS NULL") == 1);
            spin(api, user, trace);
            p.awaitQuiescence(2);

            List<JsonNode> byUser = grep(user);
            List<JsonNode> byTrace = grep(trace);
            for (List<JsonNode> story : List.of(byUser, byTrace)) {
                JsonNode accept = line(story, "accepted join_queue");
                JsonNode apply = line(story, "join_queue queued");
                JsonNode match = line(story, "matched with " + partner);
                JsonNode relay = line(story, "relayed match_created");
                for (JsonNode l : List.of(accept, apply, match, relay)) {
                    assertThat(mdc(l, "userId")).isEqualTo(user);
                    assertThat(mdc(l, "traceId")).isEqualTo(trace);
                }
                String spinId = mdc(accept, "spinId");
                String eventId = mdc(accept, "eventId");
                assertThat(spinId).isNotEmpty();
                assertThat(mdc(apply, "spinId")).isEqualTo(spinId);
                assertThat(mdc(apply, "eventId")).isEqualTo(eventId);
                assertThat(mdc(match, "spinId")).isEqualTo(spinId);
                assertThat(mdc(relay, "spinId")).isEqualTo(spinId);
                assertThat(mdc(relay, "eventId")).isNotEmpty();
                assertThat(mdc(match, "matchId")).isNotEmpty().isEqualTo(mdc(relay, "matchId"));
                for (JsonNode l : List.of(apply, match, relay)) {
                    assertThat(mdc(l, "workerId")).isIn("w1", "w2");
                }
            }
        }
    }

    private static ApiOptions apiOptions(Pipeline p) {
        Map<String, String> env = Map.of("SPINMATCH_HTTP_PORT", "0", "SPINMATCH_HTTP_HOST", "127.0.0.1",
                "SPINMATCH_KAFKA_BOOTSTRAP", p.bootstrap, "SPINMATCH_TOPIC_REQUESTS", p.requests,
                "SPINMATCH_DB_URL", p.db.jdbcUrl(), "SPINMATCH_DB_USER", p.db.user(), "SPINMATCH_DB_PASSWORD", p.db.password(),
                "SPINMATCH_API_TOKENS", "t:spin,cancel,end,read");
        return ApiOptions.from(new Settings(env, new Properties()));
    }

    private static void spin(ApiServer api, String user, String requestId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        api.uri().resolve("/v1/spins"))
                .header("Authorization", "Bearer t").header("Content-Type", "application/json").header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + user + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    /** grep: the captured JSON lines that contain {@code text} anywhere. */
    private List<JsonNode> grep(String text) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(logFile)) {
            if (line.contains(text)) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static JsonNode line(List<JsonNode> story, String message) {
        return story.stream().filter(l -> l.path("formattedMessage").asText().startsWith(message)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + message + "' in " + story));
    }

    private static String mdc(JsonNode line, String key) {
        return line.path("mdc").path(key).asText();
    }
}
