package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clients always get the JSON error shape and a trace id, also for paths and methods that do not exist. */
class UnknownRouteGives404WrongMethodGives405AsJsonTest {
    @RegisterExtension
    static final TestApi api = new TestApi();

    @Test
    void unknownPathIsJson404() throws Exception {
        HttpResponse<String> response = api.authorized("GET", "/v1/nothing-here", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"not_found\"");
        assertThat(response.headers().firstValue("X-Trace-Id")).isPresent();
    }

    @Test
    void wrongMethodIsJson405WithAllow() throws Exception {
        HttpResponse<String> response = api.authorized("PUT", "/v1/spins", "{}");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(response.body()).contains("\"error\":\"method_not_allowed\"");
    }

    @Test
    void unknownSpinIsJson404() throws Exception {
        HttpResponse<String> response = api.authorized("GET", "/v1/spins/6b1a3f0e-8c1d-4d8e-9a55-0f5e3c1b2a11", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"not_found\"");
    }
}
