package dev.spinmatch.testkit;

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
 * The probes that read one pipeline's state back, wherever it runs (the embedded broker and database
 * of {@link SpinFixture}, or containers): its database, its request and DLQ topics and consumer group,
 * and its users (ids starting with {@link #prefix}). spin.matches (the workers' default topic.matches) may
 * be shared: the probes keep only the records keyed by these users. {@link PipelineAudit} reads them.
 */
public class SpinProbes {
    public static final String MATCHES_TOPIC = "spin.matches";
    public final String bootstrap;
    public final DataSource dataSource;
    public final String requests;
    public final String dlq;
    public final String group;
    public final String prefix;
    private final Duration readPatience;

    /**
     * @param requests     the request topic ({@code requests + ".dlq"} is the DLQ, {@code requests + "-workers"} the group)
     * @param prefix       the start of these users' ids
     * @param readPatience how long a topic read waits for the records it expects
     */
    public SpinProbes(String bootstrap, DataSource dataSource, String requests, String prefix, Duration readPatience) {
        this.bootstrap = bootstrap;
        this.dataSource = dataSource;
        this.requests = requests;
        this.dlq = requests + ".dlq";
        this.group = requests + "-workers";
        this.prefix = prefix;
        this.readPatience = readPatience;
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

    /**
     * Waits (bounded by {@code limit}) until the workers consumed and committed every request record and
     * relayed every announcement, twice in a row one second apart, so the post-commit matching passes and
     * the stranded sweep have had their turn too. False if that did not happen in time.
     */
    public boolean awaitQuiescence(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (int round = 0; round < 2; round++) {
            while (!quiet()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(250);
            }
            Thread.sleep(1_000);
        }
        return true;
    }

    private boolean quiet() {
        try {
            return allRequestsCommitted() && relayBacklog() == 0;
        } catch (RuntimeException e) {
            return false;   // a part still coming back: not quiet yet
        }
    }

    private boolean allRequestsCommitted() {
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets();
        return endOffsets().entrySet().stream().allMatch(e -> e.getValue() == 0
                || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue()));
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
}
