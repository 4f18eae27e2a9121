package dev.spinmatch.worker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes unprocessable request records to the dead-letter topic: the original key, value and
 * headers, plus headers {@code reason}, {@code field}, {@code original.topic}, {@code original.partition},
 * {@code original.offset}, {@code workerId} and {@code dlq.stored}. The producer compresses, so what the
 * request topic accepted compressed fits again. A record too large even so is dead-lettered by
 * reference ({@code dlq.stored=reference}): headers {@code original.size} and {@code original.sha256} (of
 * the value), the first {@value #PREFIX_BYTES} bytes of the value and of a key that is longer.
 * The caller waits for the acknowledgements before it commits the offsets, so a dead letter is never
 * lost (it may be written twice after a crash).
 */
final class DeadLetters {
    static final int PREFIX_BYTES = 1024;
    /** What the producer accepts before compression: a record the broker took compressed may be much larger. */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;
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

    /** The dead-letter producer's own settings, on top of the worker's Kafka client settings. */
    static Map<String, Object> producerConfig(Map<String, Object> clientConfig, String workerId) {
        clientConfig.put(ProducerConfig.CLIENT_ID_CONFIG, workerId + "-dlq");
        clientConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        clientConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        clientConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        clientConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        clientConfig.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * MAX_REQUEST_BYTES);
        return clientConfig;
    }

    void publishAll(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        List<DeadLetter> tooLarge = tooLarge(letters, send(letters, this::inFull));
        awaitAll(send(tooLarge, this::byReference));
        letters.forEach(letter -> logged(letter, tooLarge.contains(letter)));
    }

    private List<Future<RecordMetadata>> send(List<DeadLetter> letters,
            Function<DeadLetter, ProducerRecord<byte[], byte[]>> toRecord) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            acks.add(producer.send(toRecord.apply(letter)));
        }
        producer.flush();
        return acks;
    }

    /** Waits for every acknowledgement; returns the letters refused as too large. */
    private static List<DeadLetter> tooLarge(List<DeadLetter> letters, List<Future<RecordMetadata>> acks) {
        List<DeadLetter> tooLarge = new ArrayList<>();
        for (int i = 0; i < acks.size(); i++) {
            if (await(acks.get(i)) instanceof RecordTooLargeException) {
                tooLarge.add(letters.get(i));
            }
        }
        return tooLarge;
    }

    private static void awaitAll(List<Future<RecordMetadata>> acks) {
        for (Future<RecordMetadata> ack : acks) {
            Throwable refused = await(ack);
            if (refused != null) {
                throw new BatchFailedException("dead-letter topic refused a record by reference", refused);
            }
        }
    }

    /** Null when acknowledged, the RecordTooLargeException when refused as too large; any other failure throws. */
    private static Throwable await(Future<RecordMetadata> ack) {
        try {
            ack.get();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                return tooLarge;
            }
            throw new BatchFailedException("dead-letter topic did not acknowledge", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatchFailedException("interrupted waiting for the dead-letter topic", e);
        }
    }

    private ProducerRecord<byte[], byte[]> inFull(DeadLetter letter) {
        ConsumerRecord<byte[], byte[]> original = letter.record();
        // a copy: the consumer record's own headers may already be read-only from an earlier attempt
        Headers headers = withReason(new RecordHeaders(original.headers().toArray()), letter, "record");
        return new ProducerRecord<>(topic, null, original.key(), original.value(), headers);
    }

    private ProducerRecord<byte[], byte[]> byReference(DeadLetter letter) {
        ConsumerRecord<byte[], byte[]> original = letter.record();
        Headers headers = withReason(new RecordHeaders(), letter, "reference");
        headers.add("original.size", utf8(Long.toString(size(original))));
        headers.add("original.sha256", utf8(original.value() == null ? "none" : sha256(original.value())));
        return new ProducerRecord<>(topic, null, prefix(original.key()), prefix(original.value()), headers);
    }

    private Headers withReason(Headers headers, DeadLetter letter, String stored) {
        ConsumerRecord<byte[], byte[]> original = letter.record();
        put(headers, "reason", letter.reason());
        put(headers, "field", letter.field());
        put(headers, "original.topic", original.topic());
        put(headers, "original.partition", Integer.toString(original.partition()));
        put(headers, "original.offset", Long.toString(original.offset()));
        put(headers, "workerId", workerId);
        put(headers, "dlq.stored", stored);
        return headers;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, utf8(value));
    }

    /** Key, value and headers in bytes, as the record came. */
    private static long size(ConsumerRecord<byte[], byte[]> record) {
        long size = length(record.key()) + length(record.value());
        for (Header header : record.headers()) {
            size += header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] prefix(byte[] bytes) {
        return bytes == null || bytes.length <= PREFIX_BYTES ? bytes : Arrays.copyOf(bytes, PREFIX_BYTES);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private void logged(DeadLetter letter, boolean byReference) {
        metrics.deadLettered(letter.field());
        ConsumerRecord<byte[], byte[]> r = letter.record();
        log.warn("dead-lettered {}-{}@{}{}: {}: {}", r.topic(), r.partition(), r.offset(),
                byReference ? " (by reference: too large even compressed)" : "", letter.field(), letter.reason());
    }
}
