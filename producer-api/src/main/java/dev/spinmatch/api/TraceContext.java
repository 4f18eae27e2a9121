package dev.spinmatch.api;

import dev.spinmatch.events.EventFields;
import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.publisher.TraceIds;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a request's traceId comes from: the trace-id of a W3C {@code traceparent} header, else an
 * {@code X-Request-Id} that is a valid event traceId, else a new one. A malformed header is ignored
 * (a tracing header never fails a request).
 */
final class TraceContext {
    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);

    private TraceContext() {
    }

    static String resolve(String traceparent, String requestId) {
        String fromParent = fromTraceparent(traceparent);
        if (fromParent != null) {
            return fromParent;
        }
        if (requestId != null && isValid(requestId.trim())) {
            return requestId.trim();
        }
        return TraceIds.generate();
    }

    private static String fromTraceparent(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = TRACEPARENT.matcher(header.trim());
        if (!m.matches() || m.group(1).equals("ff") || m.group(2).equals(ZERO_TRACE)) {
            return null;
        }
        return m.group(2);
    }

    private static boolean isValid(String traceId) {
        try {
            EventFields.traceId(traceId);
            return !traceId.isEmpty();
        } catch (InvalidEventException e) {
            return false;
        }
    }
}
