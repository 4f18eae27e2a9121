package dev.spinmatch.testkit;

import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestKafka;
import dev.spinmatch.schema.Migrations;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What one pipeline test owns, and the probes that read it back: a migrated database of its own,
 * its own request and DLQ topics and consumer group on the JVM's broker, and a user-id prefix.
 * spin.matches (the workers' default topic.matches) is shared by the JVM: the probes keep only the
 * records keyed by this test's users. Extended by each module's fixture, which adds the processes.
 */
public abstract class SpinFixture implements AutoCloseable {
    public static final String MATCHES_TOPIC = "spin.matches";
    public final String bootstrap = TestKafka.bootstrapServers();
    public final TestDatabases.TestDatabase db = TestDatabases.create("spin", Migrations::migrate);
    public final DataSource dataSource = db.dataSource();
    public final String requests = KafkaTopics.unique("spin.requests");
    public final String dlq = requests + ".dlq";
    public final String group = requests + "-workers";
    public final String prefix;
    private final Duration readPatience;

    /**
     * @param userPrefix   the start of this test's user ids (a random part is appended)
     * @param partitions   partitions of the request and DLQ topics
     * @param readPatience how long a topic read waits for the records it expects
     */
    protected SpinFixture(String userPrefix, int partitions, Duration readPatience) {
        this.prefix = userPrefix + UUID.randomUUID().toString().substring(0, 6) + "-";
        this.readPatience = readPatience;
        KafkaTopics.create(bootstrap, partitions, requests, dlq);
        KafkaTopics.create(bootstrap, 6, MATCHES_TOPIC);
    }

    public String user(int i) {
        return prefix + i;
    }

    // ------------------------------------------------------------------ database probes

    /** What spin.invariant_violations reports, one line per violation. */
    public List<String> violations() {
        return strings("SELECT kind || ' ' || coalesce(user_id, '') || ' ' || coalesce(detail, '') "
                + "FROM spin.invariant_violations(interval '1 second')");
    }

    /** Records of committed transactions the relay has not published yet (0: everything announced). */
    public long relayBacklog() {
        return count("SELECT count(*) FROM spin.announcements((SELECT next_xid FROM spin.relay_cursor), spin.relay_horizon())");
    }

    public long count(String sql) {
        return Long.parseLong(strings(sql).get(0));
    }

    public List<String> strings(String sql) {
        List<String> out = new ArrayList<>();
        query(sql, rs -> out.add(rs.getString(1)));
        return out;
    }

    public void query(String sql, RowReader reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    // ------------------------------------------------------------------ Kafka probes

    /**
     * This test's records on spin.matches from the beginning of the topic: reads until at least
     * {@code atLeast} arrived and it caught up with the end (bounded), so extra (duplicate) records show.
     */
    public List<ConsumerRecord<byte[], byte[]>> matchRecords(long atLeast) {
        return matchRecords(MATCHES_TOPIC, atLeast);
    }

    /** The same, of workers configured with another {@code topic.matches}. */
    public List<ConsumerRecord<byte[], byte[]>> matchRecords(String topic, long atLeast) {
        return read(topic, atLeast, true);
    }

    /** This test's DLQ from the beginning, read the same way. */
    public List<ConsumerRecord<byte[], byte[]>> dlqRecords(long atLeast) {
        return read(dlq, atLeast, false);
    }

    public Map<TopicPartition, OffsetAndMetadata> committedOffsets() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The log end offsets of the request topic. */
    public Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, requests));
        }
    }

    public static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, long atLeast, boolean onlyOurKeys) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + readPatience.toNanos();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while ((records.size() < atLeast || !caughtUp(consumer, end)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!onlyOurKeys || (r.key() != null && key(r).startsWith(prefix))) {
                        records.add(r);
                    }
                }
                if (records.size() < atLeast) {
                    end = consumer.endOffsets(partitions);
                }
            }
        }
        return records;
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Drops the database; subclasses stop their processes first, then call this. */
    @Override
    public void close() {
        db.close();
    }
}
