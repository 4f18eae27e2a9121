package dev.spinmatch.simulation;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.events.MatchEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code spin.matches} from its current end, without a consumer group (assign, not subscribe:
 * no rebalance delay, no offsets left behind), and hands the events whose key starts with
 * {@code keyPrefix} to a listener (a {@link Crowd}). Other users' events are skipped before decoding.
 */
public final class MatchFeed implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final EventCodec codec = new EventCodec();
    private final String keyPrefix;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param clientConfig Kafka client settings, bootstrap servers included
     * @param metadataWait how long to wait for the topic's partitions before giving up
     */
    public MatchFeed(Map<String, Object> clientConfig, Duration metadataWait, String topic, String keyPrefix,
            Consumer<MatchEvent> listener, Consumer<String> onError) {
        this.keyPrefix = keyPrefix;
        consumer = new KafkaConsumer<>(properties(clientConfig), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = partitions(topic, metadataWait);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now: events after this point are all seen
        thread = new Thread(() -> poll(listener, onError), "match-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private static Map<String, Object> properties(Map<String, Object> clientConfig) {
        Map<String, Object> p = new HashMap<>(clientConfig);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "spinmatch-simulation");
        return p;
    }

    private List<TopicPartition> partitions(String topic, Duration metadataWait) {
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(metadataWait);
        List<PartitionInfo> infos = topics.get(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist on the Kafka cluster");
        }
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
    }

    private void poll(Consumer<MatchEvent> listener, Consumer<String> onError) {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.key() != null && r.key().startsWith(keyPrefix)) {
                        deliver(r, listener, onError);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> r, Consumer<MatchEvent> listener, Consumer<String> onError) {
        try {
            listener.accept(codec.decodeMatchEvent(r.value()));
        } catch (InvalidEventException e) {
            onError.accept("malformed_match_event");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
