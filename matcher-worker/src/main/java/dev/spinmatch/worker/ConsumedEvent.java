package dev.spinmatch.worker;

import dev.spinmatch.events.SpinRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A valid request event and the record it came in. */
record ConsumedEvent(SpinRequest event, ConsumerRecord<byte[], byte[]> record) implements Decoded {
}
