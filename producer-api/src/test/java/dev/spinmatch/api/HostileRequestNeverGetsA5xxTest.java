package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spinmatch.testkit.HostileRequests;
import dev.spinmatch.testkit.RawHttp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * A bad percent-encoding anywhere in a query answered 500 on every route and was logged at ERROR,
 * and a body of any Content-Type was published. Any malformed URI, query or encoding must be a 400
 * naming what is wrong (a '%' without two hex digits in the path is refused by the HTTP parser itself,
 * which knows no more than "malformed"), a body that is not application/json a 415, every refusal a JSON
 * 4xx, nothing published and nothing logged at ERROR: for each route and, generated, 2,000 hostile requests.
 */
class HostileRequestNeverGetsA5xxTest {
    private static final String SPIN = "6b1a3f0e-8c1d-4d8e-9a55-0f5e3c1b2a11";
    @RegisterExtension
    static final TestApi api = new TestApi();
    private final ListAppender<ILoggingEvent> errors = new ListAppender<>();

    @BeforeEach
    void watchErrors() {
        errors.start();
        root().addAppender(errors);
    }

    @AfterEach
    void stopWatching() {
        root().detachAppender(errors);
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "POST  |/v1/spins?x=%zz                          |400|query",
        "DELETE|/v1/spins/" + SPIN + "?userId=%zz         |400|query",
        "GET   |/v1/spins/" + SPIN + "?x=%4              |400|query",
        "POST  |/v1/matches/" + SPIN + "/end?a=%C3%28     |400|query",
        "GET   |/v1/users/u1?%                           |400|query",
        "GET   |/healthz?x=%zz                           |400|query",
        "GET   |/metrics?x=%zz                           |400|query",
        "GET   |/v1/dashboard/stats?x=%zz                |400|query",
        "GET   |/v1/spins/%zz                            |400|NONE",
        "GET   |/v1/users/%C3%28                         |400|path",
        "DELETE|/v1/spins/%zz?userId=u1                  |400|NONE",
        "DELETE|/v1/spins/%ff%fe?userId=u1               |400|path",
    })
    void malformedEncodingIsA400NamingWhereItIs(String method, String target, int status, String field) throws Exception {
        RawHttp.Response response = send(method.trim(), target.trim(), method.trim().equals("GET") ? null : "{\"userId\":\"u1\"}",
                "application/json");

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode json = Json.MAPPER.readTree(response.body());
        assertThat(json.get("error").asText()).isEqualTo("invalid_request");
        assertThat(json.path("field").asText(null)).as(response.body()).isEqualTo(field);
        assertThat(json.get("message").asText()).contains("percent-encoding");
        assertNothingPublishedNorLoggedAtError();
    }

    @ParameterizedTest(name = "{0} {1} as {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "POST  |/v1/spins                          |text/plain",
        "POST  |/v1/spins                          |application/x-www-form-urlencoded",
        "POST  |/v1/spins                          |NONE",
        "POST  |/v1/spins                          |application/json; charset=iso-8859-1",
        "POST  |/v1/matches/" + SPIN + "/end        |text/plain",
        "DELETE|/v1/spins/" + SPIN + "?userId=u1    |text/plain",
    })
    void bodyThatIsNotJsonIsA415(String method, String target, String contentType) throws Exception {
        RawHttp.Response response = send(method.trim(), target.trim(), "{\"userId\":\"u1\"}", contentType);

        assertThat(response.status()).as(response.body()).isEqualTo(415);
        JsonNode json = Json.MAPPER.readTree(response.body());
        assertThat(json.get("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(json.get("message").asText()).contains("application/json");
        assertNothingPublishedNorLoggedAtError();
    }

    @Test
    void jsonWithUtf8CharsetIsAccepted() throws Exception {
        RawHttp.Response response = send("POST", "/v1/spins", "{\"userId\":\"u1\"}", "Application/JSON; charset=UTF-8");

        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    @Test
    void twoThousandHostileRequestsAreEachAJson4xxAndPublishNothing() {
        qt().withExamples(2_000).forAll(HostileRequests.any(TestApi.TOKEN)).checkAssert(request -> {
            RawHttp.Response response = sendRaw(request.bytes());
            assertThat(response.status()).as(request.toString() + " -> " + response.body()).isBetween(400, 499);
            assertThat(response.contentType()).as(request + " -> " + response).contains("application/json");
        });
        assertNothingPublishedNorLoggedAtError();
    }

    private void assertNothingPublishedNorLoggedAtError() {
        assertThat(api.producer.history()).as("published").isEmpty();
        assertThat(errors.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).as("logged at ERROR").isEmpty();
    }

    private static RawHttp.Response send(String method, String target, String body, String contentType) throws Exception {
        StringBuilder raw = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Bearer " + TestApi.TOKEN + "\r\n");
        if (body != null) {
            if (contentType != null) {
                raw.append("Content-Type: ").append(contentType).append("\r\n");
            }
            raw.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        } else {
            raw.append("\r\n");
        }
        return sendRaw(raw.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static RawHttp.Response sendRaw(byte[] request) {
        try {
            return RawHttp.send("127.0.0.1", api.port(), request);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
