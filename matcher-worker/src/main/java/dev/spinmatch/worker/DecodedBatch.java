package dev.spinmatch.worker;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The records of one poll split into valid events (kept in poll order, which is offset order within
 * each partition, so one user's events stay in order) and dead letters.
 */
record DecodedBatch(List<ConsumedEvent> events, List<DeadLetter> deadLetters) {

    static DecodedBatch decode(RecordDecoder decoder, ConsumerRecords<byte[], byte[]> records) {
        List<ConsumedEvent> events = new ArrayList<>(records.count());
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Decoded decoded = decoder.decode(record);
            if (decoded instanceof ConsumedEvent event) {
                events.add(event);
            } else {
                deadLetters.add((DeadLetter) decoded);
            }
        }
        return new DecodedBatch(events, deadLetters);
    }
}
