package dev.spinmatch.publisher;

import dev.spinmatch.events.EndMatch;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.EventFields;
import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Emits spin events to {@code spin.requests}: key = userId (one user's events stay in order on one
 * partition), value = the {@link EventCodec} JSON, headers {@code traceId}, {@code eventId}, {@code type}.
 * The producer is idempotent with {@code acks=all}: a returned future completes only once the event is
 * stored on every in-sync replica, and fails (never completes normally) when it is not.
 *
 * <p>Invalid arguments throw {@link InvalidEventException} at once, naming the field. The futures complete
 * on the Kafka producer's I/O thread: keep what you chain on them short, or move it to your own executor.
 * Thread-safe; share one instance per process.
 */
public final class SpinPublisher implements AutoCloseable {
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final EventCodec codec = new EventCodec();
    private final Clock clock;

    public SpinPublisher(PublisherOptions options) {
        this(new KafkaProducer<>(options.producerProperties(), new StringSerializer(), new ByteArraySerializer()),
                options.topic(), Clock.systemUTC());
    }

    /** For tests and for callers that manage their own producer (it must be idempotent with acks=all). */
    public SpinPublisher(Producer<String, byte[]> producer, String topic, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    /** Queue {@code userId} in {@code pool} (null: the default pool); a null spinId or traceId is generated. */
    public CompletableFuture<Published<JoinQueue>> join(String userId, String pool, UUID spinId, String traceId) {
        return publish(new JoinQueue(UUID.randomUUID(), EventFields.userId(userId),
                spinId == null ? UUID.randomUUID() : spinId, EventFields.pool(pool), clock.instant(), trace(traceId)));
    }

    /** Cancel spin {@code spinId} of {@code userId}; a no-op in the database once it is matched. */
    public CompletableFuture<Published<LeaveQueue>> leave(String userId, UUID spinId, String traceId) {
        return publish(new LeaveQueue(UUID.randomUUID(), EventFields.userId(userId), required("spinId", spinId),
                clock.instant(), trace(traceId)));
    }

    /** {@code userId} ends match {@code matchId}. */
    public CompletableFuture<Published<EndMatch>> endMatch(String userId, UUID matchId, String traceId) {
        return publish(new EndMatch(UUID.randomUUID(), EventFields.userId(userId), required("matchId", matchId),
                clock.instant(), trace(traceId)));
    }

    /** Publish an event built by the caller, as is. */
    public <E extends SpinRequest> CompletableFuture<Published<E>> publish(E event) {
        CompletableFuture<Published<E>> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record(event), (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(new Published<>(event, metadata));
                } else {
                    acknowledged.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    /** Sends everything buffered now and waits for the acknowledgements. */
    public void flush() {
        producer.flush();
    }

    /** Flushes, then closes; sends still unacknowledged after {@code timeout} fail. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private ProducerRecord<String, byte[]> record(SpinRequest event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.userId(), codec.encode(event));
        record.headers().add("eventId", utf8(event.eventId().toString())).add("type", utf8(event.type()));
        if (event.traceId() != null) {
            record.headers().add("traceId", utf8(event.traceId()));
        }
        return record;
    }

    private static String trace(String traceId) {
        return traceId == null ? TraceIds.generate() : EventFields.traceId(traceId);
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidEventException(field, "is required");
        }
        return value;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
