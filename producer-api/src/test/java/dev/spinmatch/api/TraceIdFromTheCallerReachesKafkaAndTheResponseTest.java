package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The caller's trace id is the one in the event body, the Kafka header, the reply body and X-Trace-Id. */
class TraceIdFromTheCallerReachesKafkaAndTheResponseTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @RegisterExtension
    static final TestApi api = new TestApi();

    @Test
    void traceparentTravelsEverywhere() throws Exception {
        HttpResponse<String> response = api.send("POST", "/v1/spins", "{\"userId\":\"traced\"}",
                "Authorization", "Bearer " + TestApi.TOKEN, "traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01");

        ProducerRecord<String, byte[]> sent = api.producer.history().get(0);
        JoinQueue event = (JoinQueue) new EventCodec().decodeRequest(sent.value());
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(sent.key()).isEqualTo("traced");
        assertThat(event.traceId()).isEqualTo(TRACE);
        assertThat(new String(sent.headers().lastHeader("traceId").value(), StandardCharsets.UTF_8)).isEqualTo(TRACE);
        assertThat(body.get("traceId").asText()).isEqualTo(TRACE);
        assertThat(body.get("spinId").asText()).isEqualTo(event.spinId().toString());
        assertThat(response.headers().firstValue("X-Trace-Id")).hasValue(TRACE);
    }
}
