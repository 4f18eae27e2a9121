package dev.spinmatch.worker;

import dev.spinmatch.events.EndMatch;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.EventFields;
import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request record into its event or into a dead letter saying what is wrong; it never
 * throws, whatever the bytes of the key, the value and the headers. The value must meet the event
 * contract ({@link EventCodec}), the key must equal the event's userId, and a traceId missing from
 * the JSON is taken from the record's {@code traceId} header, which must then appear once with a
 * value that is a valid traceId.
 */
final class RecordDecoder {
    static final String TRACE_HEADER = "traceId";
    static final String HEADER_TRACE_FIELD = "header.traceId";
    private static final Logger log = LoggerFactory.getLogger(RecordDecoder.class);
    private final EventCodec codec;

    RecordDecoder(EventCodec codec) {
        this.codec = codec;
    }

    /** A {@link ConsumedEvent} or a {@link DeadLetter}. */
    Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return new ConsumedEvent(event(record), record);
        } catch (InvalidEventException e) {
            return new DeadLetter(record, e.field(), e.reason());
        } catch (RuntimeException e) {
            // a decoder bug, not a bad record: said loudly, yet only this record is set aside
            log.error("decoding {}-{}@{} failed unexpectedly", record.topic(), record.partition(), record.offset(), e);
            return DeadLetter.undecodable(record, e);
        }
    }

    private SpinRequest event(ConsumerRecord<byte[], byte[]> record) {
        SpinRequest event = codec.decodeRequest(record.value());
        if (record.key() == null) {
            throw new InvalidEventException("key", "is missing; it must equal userId (records of one user share a partition)");
        }
        if (!Arrays.equals(record.key(), event.userId().getBytes(StandardCharsets.UTF_8))) {
            throw new InvalidEventException("key", "must equal userId (records of one user share a partition)");
        }
        if (event.traceId() != null) {
            return event;
        }
        String traceId = headerTraceId(record);
        return traceId == null ? event : withTraceId(event, traceId);
    }

    /** The traceId header's value; null when there is none. */
    private static String headerTraceId(ConsumerRecord<byte[], byte[]> record) {
        Header found = null;
        int count = 0;
        for (Header header : record.headers().headers(TRACE_HEADER)) {
            found = header;
            count++;
        }
        if (count == 0) {
            return null;
        }
        if (count > 1) {
            throw new InvalidEventException(HEADER_TRACE_FIELD, "appears " + count + " times; at most once");
        }
        if (found.value() == null) {
            throw new InvalidEventException(HEADER_TRACE_FIELD, "has no value (null)");
        }
        if (found.value().length > EventFields.MAX_ID_LENGTH) {
            throw new InvalidEventException(HEADER_TRACE_FIELD, "is " + found.value().length + " bytes long; at most "
                    + EventFields.MAX_ID_LENGTH);
        }
        try {
            // a traceId is printable ASCII: any byte outside it, UTF-8 or not, fails that rule by name
            return EventFields.traceId(new String(found.value(), StandardCharsets.ISO_8859_1));
        } catch (InvalidEventException e) {
            throw new InvalidEventException(HEADER_TRACE_FIELD, e.reason());
        }
    }

    private static SpinRequest withTraceId(SpinRequest event, String traceId) {
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
