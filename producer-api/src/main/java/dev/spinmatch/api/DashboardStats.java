package dev.spinmatch.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The dashboard's figures from PostgreSQL (pools, rates, latency, repairs, invariants) and from Kafka
 * (the worker group's members, their partitions, the consumer lag). However many browsers poll, the
 * database and the broker are asked at most once a second, and the heavier checks (repairs, the
 * invariant check) once every ten seconds. A source that fails shows as an "error" field.
 */
final class DashboardStats implements DashboardSource {
    private static final long FAST_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int TIMEOUT_MS = 2_000;
    private final DataSource db;
    private final Admin admin;
    private final String groupId;
    private final NamedQueries queries = NamedQueries.load("/dashboard.sql");
    private Map<String, Object> fast = Map.of();
    private Map<String, Object> slow = Map.of();
    private long fastAt = Long.MIN_VALUE / 2;
    private long slowAt = Long.MIN_VALUE / 2;

    DashboardStats(DataSource db, Admin admin, String groupId) {
        this.db = db;
        this.admin = admin;
        this.groupId = groupId;
    }

    @Override
    public synchronized Map<String, Object> snapshot() {
        long now = System.nanoTime();
        if (now - fastAt >= FAST_NANOS) {
            fast = fast();
            fastAt = now;
        }
        if (now - slowAt >= SLOW_NANOS) {
            slow = slow();
            slowAt = now;
        }
        Map<String, Object> all = new LinkedHashMap<>(fast);
        all.putAll(slow);
        return all;
    }

    private Map<String, Object> fast() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", Instant.now().toString());
        m.put("pools", guarded(() -> rows("pools")));
        m.put("rates", guarded(() -> rows("rates").get(0)));
        m.put("latencyMs", guarded(() -> rows("latency").get(0)));
        m.put("workers", guarded(this::workers));
        return m;
    }

    private Map<String, Object> slow() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("repairs", guarded(() -> rows("repairs").get(0)));
        m.put("invariants", guarded(this::invariants));
        return m;
    }

    private Map<String, Object> invariants() throws SQLException {
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (Map<String, Object> row : rows("violations")) {
            byKind.put((String) row.get("kind"), row.get("count"));
        }
        return Map.of("healthy", byKind.isEmpty(), "byKind", byKind, "checkedAt", Instant.now().toString());
    }

    /** The worker group: each member with its partitions, and the lag summed over the group's partitions. */
    private Map<String, Object> workers() throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                .get(groupId).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        List<Map<String, Object>> members = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clientId", member.clientId());
            m.put("host", member.host());
            m.put("partitions", member.assignment().topicPartitions().stream().map(TopicPartition::partition)
                    .sorted().collect(Collectors.toList()));
            members.add(m);
        }
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("group", groupId);
        w.put("state", String.valueOf(group.groupState()));
        w.put("members", members);
        w.put("lag", lag());
        return w;
    }

    private long lag() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            if (e.getValue() != null && ends.containsKey(e.getKey())) {
                lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
            }
        }
        return lag;
    }

    private List<Map<String, Object>> rows(String query) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(queries.get(query));
             ResultSet rs = s.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(JdbcStateStore.fields(rs));
            }
            return rows;
        }
    }

    private interface Source {
        Object get() throws Exception;
    }

    private static Object guarded(Source source) {
        try {
            return source.get();
        } catch (Exception e) {
            return Map.of("error", String.valueOf(e.getMessage()));
        }
    }
}
