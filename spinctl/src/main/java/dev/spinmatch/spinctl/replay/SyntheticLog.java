package dev.spinmatch.spinctl.replay;

import dev.spinmatch.events.EndMatch;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.Utils;

/**
 * Builds a recorded log as the publisher would have written it (key = userId, partition by the key's
 * murmur2 hash, headers eventId/type/traceId, timestamp = occurredAt), with deterministic ids: for
 * the shipped test logs and the replay benchmark.
 */
public final class SyntheticLog {
    private record Entry(long at, int seq, String key, byte[] value, List<Header> headers) {
    }

    private final EventCodec codec = new EventCodec();
    private final String topic;
    private final int partitions;
    private final Instant start;
    private final List<Entry> entries = new ArrayList<>();
    private int ids;

    public SyntheticLog(String topic, int partitions, Instant start) {
        this.topic = topic;
        this.partitions = partitions;
        this.start = start;
    }

    /** A join_queue at {@code atMillis} after the start; returns its spin id. */
    public UUID join(String user, String pool, long atMillis) {
        UUID spin = id("spin");
        add(new JoinQueue(id("event"), user, spin, pool, start.plusMillis(atMillis), trace(user)), atMillis);
        return spin;
    }

    public void leave(String user, UUID spin, long atMillis) {
        add(new LeaveQueue(id("event"), user, spin, start.plusMillis(atMillis), trace(user)), atMillis);
    }

    public void end(String user, UUID match, long atMillis) {
        add(new EndMatch(id("event"), user, match, start.plusMillis(atMillis), trace(user)), atMillis);
    }

    /** A record as it came, valid or not (a malformed value, a wrong key...). */
    public void raw(String key, byte[] value, long atMillis) {
        entries.add(new Entry(atMillis, entries.size(), key, value, List.of()));
    }

    /** The last record written again (a producer retry or a replayed request), later. */
    public void redeliverLast(long atMillis) {
        Entry last = entries.get(entries.size() - 1);
        entries.add(new Entry(atMillis, entries.size(), last.key(), last.value(), last.headers()));
    }

    /** The records in time order, offsets numbered per partition. */
    public List<LogRecord> records() {
        Map<Integer, Long> offsets = new HashMap<>();
        List<LogRecord> records = new ArrayList<>();
        entries.stream().sorted(Comparator.comparingLong(Entry::at).thenComparingInt(Entry::seq)).forEach(e -> {
            byte[] key = e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8);
            int partition = key == null ? 0 : Utils.toPositive(Utils.murmur2(key)) % partitions;
            long offset = offsets.merge(partition, 1L, Long::sum) - 1;
            records.add(new LogRecord("recorded", topic, partition, offset, start.toEpochMilli() + e.at(), key,
                    e.headers(), e.value()));
        });
        return records;
    }

    private void add(SpinRequest event, long atMillis) {
        List<Header> headers = List.of(new RecordHeader("eventId", utf8(event.eventId().toString())),
                new RecordHeader("type", utf8(event.type())), new RecordHeader("traceId", utf8(event.traceId())));
        entries.add(new Entry(atMillis, entries.size(), event.userId(), codec.encode(event), headers));
    }

    private UUID id(String kind) {
        return UUID.nameUUIDFromBytes((kind + "-" + ids++).getBytes(StandardCharsets.UTF_8));
    }

    private String trace(String user) {
        return "trace-" + user + "-" + ids;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
