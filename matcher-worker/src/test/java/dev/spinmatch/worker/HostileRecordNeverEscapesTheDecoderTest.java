package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.testkit.HostileRecord;
import dev.spinmatch.testkit.HostileRecords;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * One record whose bytes the decoder did not expect (a null traceId header threw a
 * NullPointerException past it and killed every worker's consumer thread) must never escape it:
 * any key, value and headers give the event the record carries or a dead letter naming the field
 * that is wrong, never an exception and never the decoder's own catch-all. 100,000 generated
 * records per run ({@link HostileRecords}: garbage, truncated, non-UTF-8, deeply nested, huge,
 * duplicate keys, every field missing or wrong, bad keys, null, duplicate and huge headers, and
 * valid records among them); a failure prints the seed that reproduces it.
 */
class HostileRecordNeverEscapesTheDecoderTest {
    private static final int RECORDS = 100_000;
    /** Records per example: QuickTheories skips some examples (duplicate draws), so a few more than needed. */
    private static final int POLL = 110;
    private final RecordDecoder decoder = new RecordDecoder(new EventCodec());

    @Test
    void everyRecordGivesItsEventOrADeadLetterNamingTheWrongField() {
        AtomicLong valid = new AtomicLong();
        AtomicLong deadLetters = new AtomicLong();
        qt().withExamples(RECORDS / 100).forAll(lists().of(HostileRecords.any()).ofSize(POLL))
                .checkAssert(poll -> poll.forEach(hostile -> decodes(hostile, valid, deadLetters)));
        assertThat(valid.get() + deadLetters.get()).as("records decoded").isGreaterThanOrEqualTo(RECORDS);
        assertThat(valid.get()).as("valid records among them").isGreaterThan(RECORDS / 10);
        assertThat(deadLetters.get()).as("dead letters among them").isGreaterThan(RECORDS / 2);
    }

    private void decodes(HostileRecord hostile, AtomicLong valid, AtomicLong deadLetters) {
        ConsumerRecord<byte[], byte[]> record = consumerRecord(hostile);
        Decoded result = decoder.decode(record);
        assertThat(result.record()).isSameAs(record);
        if (hostile.valid()) {
            assertThat(result).as(hostile.toString()).isInstanceOfSatisfying(ConsumedEvent.class,
                    e -> assertThat(e.event()).isEqualTo(hostile.expectedEvent()));
            valid.incrementAndGet();
        } else {
            assertThat(result).as(hostile.toString()).isInstanceOfSatisfying(DeadLetter.class, letter -> {
                assertThat(letter.field()).isEqualTo(expectedField(hostile));
                assertThat(letter.reason()).isNotBlank().hasSizeLessThanOrEqualTo(DeadLetter.MAX_REASON_LENGTH);
            });
            deadLetters.incrementAndGet();
        }
    }

    /** A dead letter's field is cut to a bounded length (an unknown field's name comes from the record). */
    private static String expectedField(HostileRecord hostile) {
        return new DeadLetter(null, hostile.expectedField(), "x").field();
    }

    private static ConsumerRecord<byte[], byte[]> consumerRecord(HostileRecord hostile) {
        return new ConsumerRecord<>("spin.requests", 0, 0L, 0L, TimestampType.CREATE_TIME,
                hostile.key() == null ? -1 : hostile.key().length, hostile.value() == null ? -1 : hostile.value().length,
                hostile.key(), hostile.value(), new RecordHeaders(hostile.headers()), Optional.empty());
    }
}
