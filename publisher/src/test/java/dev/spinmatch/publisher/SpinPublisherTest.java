package dev.spinmatch.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.events.JoinQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Unit level (a fake producer): what goes into the record, and that a failed send never looks acknowledged. */
class SpinPublisherTest {
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final SpinPublisher publisher = new SpinPublisher(producer, "spin.requests",
            Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void joinIsKeyedByUserAndCarriesTraceEventAndTypeHeaders() {
        UUID spinId = UUID.randomUUID();
        publisher.join("alice", "eu", spinId, "trace-1");

        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        JoinQueue event = (JoinQueue) new EventCodec().decodeRequest(sent.value());
        assertThat(sent.key()).isEqualTo("alice");
        assertThat(event.spinId()).isEqualTo(spinId);
        assertThat(event.pool()).isEqualTo("eu");
        assertThat(event.traceId()).isEqualTo("trace-1");
        assertThat(header(sent, "traceId")).isEqualTo("trace-1");
        assertThat(header(sent, "eventId")).isEqualTo(event.eventId().toString());
        assertThat(header(sent, "type")).isEqualTo("join_queue");
    }

    @Test
    void missingSpinIdPoolAndTraceIdAreFilledIn() {
        publisher.join("bob", null, null, null);

        JoinQueue event = (JoinQueue) new EventCodec().decodeRequest(producer.history().get(0).value());
        assertThat(event.pool()).isEqualTo("default");
        assertThat(event.spinId()).isNotNull();
        assertThat(event.traceId()).matches("[0-9a-f]{32}");
    }

    @Test
    void futureCompletesOnlyWhenTheBrokerAcknowledges() {
        CompletableFuture<Published<JoinQueue>> future = publisher.join("carol", null, null, null);
        assertThat(future).isNotDone();

        producer.completeNext();
        assertThat(future.join().event().userId()).isEqualTo("carol");
    }

    @Test
    void aFailedSendFailsTheFuture() {
        CompletableFuture<Published<JoinQueue>> future = publisher.join("dave", null, null, null);
        producer.errorNext(new TimeoutException("delivery timeout"));

        assertThat(future).isCompletedExceptionally();
    }

    @Test
    void aClosedProducerFailsTheFutureInsteadOfThrowing() {
        producer.close();
        assertThat(publisher.join("erin", null, null, null)).isCompletedExceptionally();
    }

    @Test
    void invalidArgumentsNameTheField() {
        assertThatThrownBy(() -> publisher.join("has space", null, null, null))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("userId"));
        assertThatThrownBy(() -> publisher.join("frank", "Bad Pool", null, null))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("pool"));
        assertThatThrownBy(() -> publisher.leave("frank", null, null))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("spinId"));
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
