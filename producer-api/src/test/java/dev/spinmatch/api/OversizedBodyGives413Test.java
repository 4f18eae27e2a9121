package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A body over the limit is refused with 413, whether it declares its length or streams chunked. */
class OversizedBodyGives413Test {
    private static final String BIG = "{\"userId\":\"u\",\"pool\":\"" + "x".repeat(300) + "\"}";

    @RegisterExtension
    static final TestApi api = new TestApi("api.max-body-bytes", "256");

    @Test
    void declaredLengthOverTheLimitIs413() throws Exception {
        HttpResponse<String> response = api.authorized("POST", "/v1/spins", BIG);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error\":\"payload_too_large\"");
        assertThat(api.producer.history()).isEmpty();
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(BIG.getBytes(StandardCharsets.UTF_8)));

        HttpResponse<String> response = api.send("POST", "/v1/spins", chunked,
                "Authorization", "Bearer " + TestApi.TOKEN);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(api.producer.history()).isEmpty();
    }
}
