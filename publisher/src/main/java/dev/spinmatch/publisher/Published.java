package dev.spinmatch.publisher;

import dev.spinmatch.events.SpinRequest;
import org.apache.kafka.clients.producer.RecordMetadata;

/** An event Kafka has acknowledged with {@code acks=all}: it is stored on every in-sync replica. */
public record Published<E extends SpinRequest>(E event, RecordMetadata metadata) {
}
