package dev.spinmatch.worker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes unprocessable request records to the dead-letter topic with the original key, value and
 * headers, plus headers {@code reason}, {@code field}, {@code original.topic}, {@code original.partition},
 * {@code original.offset} and {@code workerId}. The caller waits for the acknowledgements before it
 * commits the offsets, so a dead letter is never lost (it may be written twice after a crash).
 */
final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String workerId;
    private final WorkerMetrics metrics;

    DeadLetters(Producer<byte[], byte[]> producer, String topic, String workerId, WorkerMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.workerId = workerId;
        this.metrics = metrics;
    }

    void publishAll(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (DeadLetter letter : letters) {
            acks.add(producer.send(toRecord(letter)));
        }
        producer.flush();
        awaitAll(acks);
        letters.forEach(this::logged);
    }

    private ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter) {
        var original = letter.record();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, original.key(), original.value(),
                original.headers());
        Headers headers = record.headers();
        put(headers, "reason", letter.reason());
        put(headers, "field", letter.field());
        put(headers, "original.topic", original.topic());
        put(headers, "original.partition", Integer.toString(original.partition()));
        put(headers, "original.offset", Long.toString(original.offset()));
        put(headers, "workerId", workerId);
        return record;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private void logged(DeadLetter letter) {
        metrics.deadLettered(letter.field());
        var r = letter.record();
        log.warn("dead-lettered {}-{}@{}: {}: {}", r.topic(), r.partition(), r.offset(), letter.field(),
                letter.reason());
    }

    private static void awaitAll(List<Future<RecordMetadata>> acks) {
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new BatchFailedException("dead-letter topic did not acknowledge", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatchFailedException("interrupted waiting for the dead-letter topic", e);
        }
    }
}
