package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Only a configured bearer token gets in, and only for the actions configured for it. */
class MissingTokenGives401WrongActionGives403Test {
    private static final String SPIN = "{\"userId\":\"u1\"}";

    @RegisterExtension
    static final TestApi api = new TestApi();

    @Test
    void noTokenIs401AndNothingIsPublished() throws Exception {
        HttpResponse<String> response = api.send("POST", "/v1/spins", SPIN);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.body()).contains("\"error\":\"unauthorized\"");
        assertThat(api.producer.history()).isEmpty();
    }

    @Test
    void unknownTokenIs401() throws Exception {
        assertThat(api.send("POST", "/v1/spins", SPIN, "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
        assertThat(api.send("POST", "/v1/spins", SPIN, "Authorization", "Basic dGVzdA==").statusCode()).isEqualTo(401);
    }

    @Test
    void readOnlyTokenIs403ForWritesAndAllowedToRead() throws Exception {
        String bearer = "Bearer " + TestApi.READ_ONLY_TOKEN;

        HttpResponse<String> spin = api.send("POST", "/v1/spins", SPIN, "Authorization", bearer);
        HttpResponse<String> read = api.send("GET", "/v1/users/u1", (String) null, "Authorization", bearer);

        assertThat(spin.statusCode()).isEqualTo(403);
        assertThat(spin.body()).contains("\"error\":\"forbidden\"");
        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(api.producer.history()).isEmpty();
    }

    @Test
    void operationalEndpointsNeedNoToken() throws Exception {
        assertThat(api.send("GET", "/healthz", (String) null).statusCode()).isEqualTo(200);
        assertThat(api.send("GET", "/metrics", (String) null).statusCode()).isEqualTo(200);
        assertThat(api.send("GET", "/openapi.yaml", (String) null).statusCode()).isEqualTo(200);
    }
}
