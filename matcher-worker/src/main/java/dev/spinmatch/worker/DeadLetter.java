package dev.spinmatch.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A request record that cannot be applied, and why: {@code field} names the offending field. */
record DeadLetter(ConsumerRecord<byte[], byte[]> record, String field, String reason) {
}
