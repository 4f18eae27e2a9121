package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user past their burst gets 429 with Retry-After and no event; other users are unaffected. */
class RateLimitGives429WithRetryAfterTest {
    @RegisterExtension
    static final TestApi api = new TestApi("api.rate-limit.per-second", "0.01", "api.rate-limit.burst", "3");

    @Test
    void requestsPastTheBurstAre429AndNotPublished() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(api.authorized("POST", "/v1/spins", "{\"userId\":\"greedy\"}").statusCode()).isEqualTo(202);
        }
        HttpResponse<String> limited = api.authorized("POST", "/v1/spins", "{\"userId\":\"greedy\"}");
        HttpResponse<String> other = api.authorized("POST", "/v1/spins", "{\"userId\":\"patient\"}");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                s -> assertThat(Long.parseLong(s)).isPositive());
        assertThat(limited.body()).contains("\"error\":\"rate_limited\"");
        assertThat(other.statusCode()).isEqualTo(202);
        assertThat(api.producer.history()).hasSize(4);
        assertThat(api.send("GET", "/metrics", (String) null).body())
                .contains("spinmatch_api_rate_limited_total 1.0");
    }
}
