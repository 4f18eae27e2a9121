package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.embedded.EmbeddedKafka;
import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.publisher.PublisherOptions;
import dev.spinmatch.publisher.SpinPublisher;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When Kafka cannot take the event (never reachable, or stopped after the API started), a spin is answered
 * 503 with Retry-After, never 202, and the failure is counted. Real producers, short timeouts.
 */
class KafkaDownGives503NeverA202Test {

    @Test
    void unreachableBrokerGives503() throws Exception {
        try (ApiServer server = start("127.0.0.1:" + deadPort())) {
            TestApi client = TestApi.against(server);

            assertRefused(client.authorized("POST", "/v1/spins", "{\"userId\":\"unlucky\"}"));
            assertThat(client.send("GET", "/metrics", (String) null).body()).contains(
                    "spinmatch_api_publish_failures_total{cause=\"TimeoutException\",type=\"join_queue\"} 1.0");
        }
    }

    @Test
    void brokerStoppedAfterAnAcceptedSpinGives503() throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start();
        KafkaTopics.create(broker.bootstrapServers(), 1, PublisherOptions.DEFAULT_TOPIC);
        try (ApiServer server = start(broker.bootstrapServers())) {
            TestApi client = TestApi.against(server);
            HttpResponse<String> accepted = client.authorized("POST", "/v1/spins", "{\"userId\":\"first\"}");
            broker.close();

            assertThat(accepted.statusCode()).isEqualTo(202);
            assertRefused(client.authorized("POST", "/v1/spins", "{\"userId\":\"second\"}"));
        }
    }

    private static void assertRefused(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).contains("\"error\":\"unavailable\"").doesNotContain("queued");
    }

    private static ApiServer start(String bootstrap) throws Exception {
        ApiOptions options = ApiOptions.from(TestApi.settings("api.shutdown-drain", "1s"));
        PublisherOptions shortTimeouts = options.publisherOptions(bootstrap)
                .withMaxBlock(Duration.ofMillis(500)).withDeliveryTimeout(Duration.ofSeconds(2));
        return ApiServer.start(options, new Backends(new SpinPublisher(shortTimeouts), TestApi.EMPTY_STATE,
                Map.of(), List.of()));
    }

    private static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
