package dev.spinmatch.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules for the fields every event shares: the one source the HTTP API, the publisher and the worker's
 * codec use, so all reject the same input with the same words. The database enforces the same rules with the
 * same messages ({@code spin._user_problem}, {@code spin._trace_problem}, {@code spin._pool_problem}), and
 * a test runs a generated corpus through both.
 *
 * <p>User ids and trace ids are made of the characters a URL path segment and a query value carry unchanged
 * ({@link #ID_CHARACTERS}: RFC 3986's unreserved characters plus {@code :} and {@code @}), starting with a
 * letter or digit (so never the dot segments {@code .} and {@code ..}): every id a write accepts can be read
 * back through {@code GET /v1/users/{userId}} and {@code ?userId=}, whatever the client's URL encoder.
 */
public final class EventFields {
    public static final int VERSION = 1;
    public static final String DEFAULT_POOL = "default";
    public static final int MAX_ID_LENGTH = 128;
    /** The regular expression of user ids and trace ids (length aside), as SQL's {@code ~} reads it too. */
    public static final String ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._~:@-]*$";
    public static final String ID_CHARACTERS = "letters, digits and . _ ~ : @ -, starting with a letter or digit";
    public static final String POOL_PATTERN = "^[a-z0-9][a-z0-9_.-]{0,63}$";
    private static final Pattern ID = Pattern.compile(ID_PATTERN);
    private static final Pattern POOL = Pattern.compile(POOL_PATTERN);
    /** The instants an event may carry: four-digit years, as ISO-8601 writes them and PostgreSQL stores them. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private EventFields() {
    }

    public static String userId(String value) {
        require("userId", value);
        return id("userId", value);
    }

    /** A trace id, or null (the caller generates one). */
    public static String traceId(String value) {
        return value == null ? null : id("traceId", value);
    }

    public static String pool(String value) {
        if (value == null) {
            return DEFAULT_POOL;
        }
        if (!POOL.matcher(value).matches()) {
            throw new InvalidEventException("pool", "must match " + POOL_PATTERN);
        }
        return value;
    }

    /**
     * An ISO-8601 instant such as {@code 2026-01-01T12:00:00Z} between {@link #EARLIEST} and {@link #LATEST}; the
     * error says which rule the text breaks (where parsing stopped, an impossible date, the range).
     */
    public static Instant occurredAt(String value) {
        require("occurredAt", value);
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("occurredAt", "is not an ISO-8601 instant such as 2026-01-01T12:00:00Z ("
                    + whyNotAnInstant(value, e) + ")");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidEventException("occurredAt", "is out of range: " + instant + " is not between "
                    + EARLIEST + " and " + LATEST);
        }
        return instant;
    }

    /**
     * Instant's own parser says only "at index 0" for a well-formed but impossible date or time; the
     * offset date-time parser (strict, same syntax) names the field and value ("Invalid date 'FEBRUARY 30'").
     */
    private static String whyNotAnInstant(String value, DateTimeParseException instantError) {
        DateTimeParseException error = instantError;
        try {
            OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            error = e.getMessage().contains("could not be parsed:") ? e : instantError;
        }
        String message = error.getMessage();
        int at = message.indexOf("could not be parsed");
        return at < 0 ? message : message.substring(at);
    }

    /** A UUID in its canonical 8-4-4-4-12 form (either case); {@link UUID#fromString} alone accepts "1-1-1-1-1". */
    public static UUID uuid(String field, String value) {
        require(field, value);
        try {
            UUID uuid = UUID.fromString(value);
            if (uuid.toString().equals(value.toLowerCase())) {
                return uuid;
            }
        } catch (IllegalArgumentException e) {
            // reported below, naming the field
        }
        throw new InvalidEventException(field, "is not a UUID");
    }

    private static String id(String field, String value) {
        if (!ID.matcher(value).matches()) {
            throw new InvalidEventException(field, "must be " + ID_CHARACTERS);
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new InvalidEventException(field, "longer than " + MAX_ID_LENGTH + " characters");
        }
        return value;
    }

    private static void require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException(field, "is required");
        }
    }
}
