package dev.spinmatch.worker;

import java.sql.SQLException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A request record that cannot be applied, and why: {@code field} names the offending field (or
 * {@code record} for a decoder failure, {@code database} for an event the database failed on).
 * Both are cut to a bounded length: they travel as DLQ headers and come partly from the record.
 */
record DeadLetter(ConsumerRecord<byte[], byte[]> record, String field, String reason) implements Decoded {
    static final int MAX_FIELD_LENGTH = 128;
    static final int MAX_REASON_LENGTH = 1024;

    DeadLetter {
        field = cut(field, MAX_FIELD_LENGTH);
        reason = cut(reason, MAX_REASON_LENGTH);
    }

    /** The decoder itself failed (a bug): the record is set aside with the error. */
    static DeadLetter undecodable(ConsumerRecord<byte[], byte[]> record, RuntimeException error) {
        return new DeadLetter(record, "record", "could not be decoded: " + error);
    }

    /** The database kept failing on this one event, alone in its transaction. */
    static DeadLetter failedInDatabase(ConsumerRecord<byte[], byte[]> record, SQLException error, int attempts) {
        return new DeadLetter(record, "database", "the database failed applying this event alone, " + attempts
                + " times: SQLSTATE " + error.getSQLState() + ": " + error.getMessage());
    }

    private static String cut(String text, int max) {
        String value = text == null || text.isEmpty() ? "(none)" : text;
        return value.length() <= max ? value : value.substring(0, max - 3) + "...";
    }
}
