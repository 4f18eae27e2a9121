package dev.spinmatch.worker;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.EventFields;
import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.EndMatch;
import dev.spinmatch.events.SpinRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;

/**
 * The records of one poll split into valid events (kept in poll order, which is offset order within
 * each partition, so one user's events stay in order) and dead letters.
 */
record DecodedBatch(List<SpinRequest> events, Map<UUID, ConsumerRecord<byte[], byte[]>> recordsByEventId,
        List<DeadLetter> deadLetters) {
    static final String TRACE_HEADER = "traceId";

    static DecodedBatch decode(EventCodec codec, ConsumerRecords<byte[], byte[]> records) {
        List<SpinRequest> events = new ArrayList<>(records.count());
        Map<UUID, ConsumerRecord<byte[], byte[]>> recordsByEventId = new HashMap<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                SpinRequest event = decode(codec, record);
                events.add(event);
                recordsByEventId.put(event.eventId(), record);
            } catch (InvalidEventException e) {
                deadLetters.add(new DeadLetter(record, e.field(), e.reason()));
            }
        }
        return new DecodedBatch(events, recordsByEventId, deadLetters);
    }

    /** The events as one JSON array, the argument of {@code spin.apply_batch}. */
    String toJsonArray(EventCodec codec) {
        StringBuilder json = new StringBuilder(events.size() * 200).append('[');
        for (SpinRequest event : events) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(new String(codec.encode(event), StandardCharsets.UTF_8));
        }
        return json.append(']').toString();
    }

    private static SpinRequest decode(EventCodec codec, ConsumerRecord<byte[], byte[]> record) {
        SpinRequest event = codec.decodeRequest(record.value());
        if (record.key() == null || !Arrays.equals(record.key(), event.userId().getBytes(StandardCharsets.UTF_8))) {
            throw new InvalidEventException("key", "must equal userId (records of one user share a partition)");
        }
        return event.traceId() == null ? withTraceId(event, headerTraceId(record)) : event;
    }

    private static String headerTraceId(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(TRACE_HEADER);
        return header == null ? null : EventFields.traceId(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static SpinRequest withTraceId(SpinRequest event, String traceId) {
        if (traceId == null) {
            return event;
        }
        if (event instanceof JoinQueue j) {
            return new JoinQueue(j.eventId(), j.userId(), j.spinId(), j.pool(), j.occurredAt(), traceId);
        }
        if (event instanceof LeaveQueue l) {
            return new LeaveQueue(l.eventId(), l.userId(), l.spinId(), l.occurredAt(), traceId);
        }
        EndMatch m = (EndMatch) event;
        return new EndMatch(m.eventId(), m.userId(), m.matchId(), m.occurredAt(), traceId);
    }
}
