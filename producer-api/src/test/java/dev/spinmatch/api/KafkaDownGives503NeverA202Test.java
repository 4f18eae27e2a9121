package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.publisher.PublisherOptions;
import dev.spinmatch.publisher.SpinPublisher;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With no broker to take the event (a real producer pointed at a port nobody listens on, short timeouts),
 * a spin is answered 503 with Retry-After, never 202, and the failure is counted.
 */
class KafkaDownGives503NeverA202Test {
    private static ApiServer server;
    private static TestApi client;

    @BeforeAll
    static void start() throws Exception {
        ApiOptions options = ApiOptions.from(TestApi.settings());
        PublisherOptions deadBroker = options.publisherOptions("127.0.0.1:" + deadPort())
                .withMaxBlock(Duration.ofMillis(500)).withDeliveryTimeout(Duration.ofSeconds(1));
        server = ApiServer.start(options, new Backends(new SpinPublisher(deadBroker), TestApi.EMPTY_STATE, Map.of(), List.of(), DashboardSource.NONE));
        client = TestApi.against(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void spinIsRefusedWith503AndRetryAfter() throws Exception {
        HttpResponse<String> response = client.authorized("POST", "/v1/spins", "{\"userId\":\"unlucky\"}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).contains("\"error\":\"unavailable\"").doesNotContain("queued");
        assertThat(client.send("GET", "/metrics", (String) null).body())
                .contains("spinmatch_api_publish_failures_total{cause=\"TimeoutException\",type=\"join_queue\"} 1.0");
    }

    private static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
