package dev.spinmatch.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What {@link RecordDecoder} makes of one record: its event, or a dead letter. */
sealed interface Decoded permits ConsumedEvent, DeadLetter {
    ConsumerRecord<byte[], byte[]> record();
}
