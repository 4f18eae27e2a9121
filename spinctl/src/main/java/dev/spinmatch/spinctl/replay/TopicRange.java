package dev.spinmatch.spinctl.replay;

import dev.spinmatch.spinctl.reach.KafkaReach;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Option;

/**
 * A range of a topic: a time window, or offsets of chosen partitions, optionally only some users
 * (record key). Read with a consumer that assigns partitions itself: no group, no offsets committed,
 * nothing written to the cluster.
 */
public final class TopicRange {
    @Option(names = "--kafka", descriptionKey = "kafka.bootstrap", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: $SPINMATCH_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "spin.requests", description = "Topic to read (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--from", description = "Window start, ISO-8601 instant (record timestamps, inclusive).")
    Instant from;

    @Option(names = "--to", description = "Window end, ISO-8601 instant (exclusive).")
    Instant to;

    @Option(names = "--partition", split = ",", description = "Only these partitions (default: all).")
    List<Integer> partitions;

    @Option(names = "--from-offset", description = "First offset of each chosen partition (default: the start).")
    Long fromOffset;

    @Option(names = "--to-offset", description = "End offset of each chosen partition, exclusive (default: the end now).")
    Long toOffset;

    @Option(names = "--user", split = ",", description = "Only records whose key is one of these user ids.")
    Set<String> users;

    /** The records of the range, partition by partition in offset order. */
    public List<LogRecord> read() throws InterruptedException {
        String cluster = KafkaReach.clusterId(bootstrap);
        Map<String, Object> config = KafkaReach.clientConfig(bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> chosen = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .filter(tp -> partitions == null || partitions.contains(tp.partition())).toList();
            Map<TopicPartition, Long> first = consumer.beginningOffsets(chosen);
            Map<TopicPartition, Long> last = consumer.endOffsets(chosen);
            Map<TopicPartition, Long> start = bound(consumer, chosen, from, fromOffset, last, first);
            Map<TopicPartition, Long> end = bound(consumer, chosen, to, toOffset, last, last);
            start.replaceAll((tp, offset) -> Math.max(offset, first.get(tp)));
            end.replaceAll((tp, offset) -> Math.min(offset, last.get(tp)));
            return readBetween(consumer, cluster, start, end);
        }
    }

    private List<LogRecord> readBetween(KafkaConsumer<byte[], byte[]> consumer, String cluster,
            Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        List<TopicPartition> pending = new ArrayList<>(start.keySet().stream()
                .filter(tp -> start.get(tp) < end.get(tp)).toList());
        consumer.assign(pending);
        pending.forEach(tp -> consumer.seek(tp, start.get(tp)));
        List<LogRecord> records = new ArrayList<>();
        while (!pending.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) && wanted(r)) {
                    records.add(LogRecord.of(cluster, r));
                }
            }
            pending.removeIf(tp -> consumer.position(tp) >= end.get(tp));
            consumer.assign(pending);
        }
        records.sort(LogOrder.BY_PARTITION_AND_OFFSET);
        return records;
    }

    private boolean wanted(ConsumerRecord<byte[], byte[]> r) {
        return users == null || (r.key() != null && users.contains(new String(r.key(), StandardCharsets.UTF_8)));
    }

    /**
     * Offsets of one bound: the given offset, else the first offset at or after the instant (the end
     * when there is none), else {@code unbounded}.
     */
    private static Map<TopicPartition, Long> bound(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> chosen,
            Instant instant, Long offset, Map<TopicPartition, Long> ends, Map<TopicPartition, Long> unbounded) {
        Map<TopicPartition, Long> bound = new HashMap<>(unbounded);
        if (offset != null) {
            chosen.forEach(tp -> bound.put(tp, offset));
        } else if (instant != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            chosen.forEach(tp -> query.put(tp, instant.toEpochMilli()));
            consumer.offsetsForTimes(query).forEach((tp, found) -> bound.put(tp, found == null ? ends.get(tp) : found.offset()));
        }
        return bound;
    }
}
