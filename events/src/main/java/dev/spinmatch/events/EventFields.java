package dev.spinmatch.events;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules for the fields every event shares, used by the codec and by the HTTP API so both reject
 * the same input with the same words. The database functions enforce the same rules (schema/README.md).
 */
public final class EventFields {
    public static final int VERSION = 1;
    public static final String DEFAULT_POOL = "default";
    public static final int MAX_USER_ID_LENGTH = 128;
    public static final int MAX_TRACE_ID_LENGTH = 128;
    private static final Pattern POOL = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7E]+");

    private EventFields() {
    }

    public static String userId(String value) {
        require("userId", value);
        if (value.length() > MAX_USER_ID_LENGTH) {
            throw new InvalidEventException("userId", "longer than " + MAX_USER_ID_LENGTH + " characters");
        }
        if (!PRINTABLE.matcher(value).matches()) {
            throw new InvalidEventException("userId", "must be printable ASCII without spaces");
        }
        return value;
    }

    public static String pool(String value) {
        if (value == null) {
            return DEFAULT_POOL;
        }
        if (!POOL.matcher(value).matches()) {
            throw new InvalidEventException("pool", "must match " + POOL.pattern());
        }
        return value;
    }

    public static String traceId(String value) {
        if (value != null && (value.length() > MAX_TRACE_ID_LENGTH || !PRINTABLE.matcher(value).matches())) {
            throw new InvalidEventException("traceId",
                    "must be printable ASCII, at most " + MAX_TRACE_ID_LENGTH + " characters");
        }
        return value;
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

    private static void require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException(field, "is required");
        }
    }
}
