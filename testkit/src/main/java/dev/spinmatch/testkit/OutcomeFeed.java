package dev.spinmatch.testkit;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.MatchCreated;
import dev.spinmatch.events.MatchEvent;
import dev.spinmatch.events.SpinCancelled;
import dev.spinmatch.events.SpinExpired;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a backend service consuming spin.matches sees, live: the first time each spin's outcome
 * (matched, cancelled, expired) was announced, after deduplication by event id as a consumer must;
 * the duplicates (an event id seen again: the relay's at-least-once redelivery) are counted. Only the
 * records keyed by these users (ids starting with the prefix) count: spin.matches may be shared.
 */
public final class OutcomeFeed implements AutoCloseable {
    private static final EventCodec CODEC = new EventCodec();
    private final String prefix;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<UUID> eventIds = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Long> announcedAtMillis = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    public OutcomeFeed(String bootstrap, String prefix) {
        this.prefix = prefix;
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(SpinProbes.MATCHES_TOPIC).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::run, "outcome-feed");
        thread.start();
    }

    /** When the spin's outcome was first announced (epoch millis), or null if not yet. */
    public Long announcedAt(UUID spinId) {
        return announcedAtMillis.get(spinId);
    }

    /** Waits up to {@code limit} for the spin's outcome; true once announced. */
    public boolean await(UUID spinId, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!announcedAtMillis.containsKey(spinId)) {
            if (System.nanoTime() > deadline || !running) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Records whose event id had been seen already (dropped by the deduplication). */
    public long duplicates() {
        return duplicates.get();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(prefix)) {
                        accept(CODEC.decodeMatchEvent(r.value()));
                    }
                }
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            running = false;
            consumer.close();
        }
    }

    /** Fails if the feed stopped reading (its announcements would be missing, not the system's). */
    public void assertReading() {
        if (failure != null || !running) {
            throw new AssertionError("the outcome feed stopped reading spin.matches", failure);
        }
    }

    private void accept(MatchEvent event) {
        if (!eventIds.add(event.eventId())) {
            duplicates.incrementAndGet();
            return;
        }
        UUID spinId = spinOf(event);
        if (spinId != null) {
            announcedAtMillis.putIfAbsent(spinId, System.currentTimeMillis());
        }
    }

    private static UUID spinOf(MatchEvent event) {
        if (event instanceof MatchCreated c) {
            return c.spinId();
        } else if (event instanceof SpinCancelled c) {
            return c.spinId();
        } else if (event instanceof SpinExpired e) {
            return e.spinId();
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
