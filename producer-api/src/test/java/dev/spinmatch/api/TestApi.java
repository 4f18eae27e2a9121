package dev.spinmatch.api;

import dev.spinmatch.common.Settings;
import dev.spinmatch.publisher.SpinPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An API server on a free port for HTTP-level tests of validation, auth and limits, with a fake Kafka
 * producer that acknowledges at once and an empty state store. Tests that need a real broker use
 * real backends instead. Registered on a test class ({@code @RegisterExtension static final TestApi api =
 * new TestApi(...)}) it starts before the class's tests, forgets what was sent before each test, and
 * stops after them.
 */
final class TestApi implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, AutoCloseable {
    static final String TOKEN = "test-token";
    static final String READ_ONLY_TOKEN = "reader-token";
    final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    static final StateStore EMPTY_STATE = new StateStore() {
        @Override
        public Optional<Map<String, Object>> spin(UUID spinId) {
            return Optional.empty();
        }

        @Override
        public Optional<Map<String, Object>> user(String userId) {
            return Optional.empty();
        }

        @Override
        public Optional<Map<String, Object>> match(UUID matchId) {
            return Optional.empty();
        }

        @Override
        public Optional<Map<String, Object>> eventResult(UUID eventId) {
            return Optional.empty();
        }

        @Override
        public List<Map<String, Object>> notApplied(String about, UUID id) {
            return List.of();
        }
    };
    private final String[] settings;
    private final StateStore state;
    private final HttpClient client = HttpClient.newHttpClient();
    private ApiServer server;

    /** An API with the test defaults overridden by key/value {@code settings}, started by {@link #beforeAll}. */
    TestApi(String... settings) {
        this(EMPTY_STATE, settings);
    }

    /** The same, reading its state from {@code state}. */
    TestApi(StateStore state, String... settings) {
        this.settings = settings;
        this.state = state;
    }

    private TestApi(ApiServer server) {
        this.settings = new String[0];
        this.state = EMPTY_STATE;
        this.server = server;
    }

    /** A client of a server started elsewhere (its producer field is unused). */
    static TestApi against(ApiServer server) {
        return new TestApi(server);
    }

    /** Test defaults (free port, two tokens, a generous rate limit) overridden by key/value pairs. */
    static Settings settings(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("SPINMATCH_HTTP_PORT", "0");
        env.put("SPINMATCH_HTTP_HOST", "127.0.0.1");
        env.put("SPINMATCH_API_TOKENS", TOKEN + ":spin,cancel,end,read;" + READ_ONLY_TOKEN + ":read");
        env.put("SPINMATCH_API_RATE_LIMIT_PER_SECOND", "1000");
        env.put("SPINMATCH_API_RATE_LIMIT_BURST", "1000");
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(Settings.environmentName(keyValues[i]), keyValues[i + 1]);
        }
        return new Settings(env, new Properties());
    }

    int port() {
        return server.port();
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        return client.send(request(method, path, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body), headers),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headers)
            throws Exception {
        return client.send(request(method, path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** With the full-rights token. */
    HttpResponse<String> authorized(String method, String path, String body) throws Exception {
        return send(method, path, body, "Authorization", "Bearer " + TOKEN);
    }

    /** A body is sent as {@code application/json} unless the caller names another Content-Type. */
    private HttpRequest request(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, body);
        if (body.contentLength() != 0 && !List.of(headers).contains("Content-Type")) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ApiOptions options = ApiOptions.from(settings(settings));
        SpinPublisher publisher = new SpinPublisher(producer, options.requestsTopic(), Clock.systemUTC());
        server = ApiServer.start(options, new Backends(publisher, state, Map.of(), List.of()));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        producer.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.close();
    }
}
