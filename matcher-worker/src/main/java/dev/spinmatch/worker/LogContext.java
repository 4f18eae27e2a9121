package dev.spinmatch.worker;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/** Puts MDC keys (eventId, spinId, userId, matchId, traceId) for one log decision and removes them on close. */
final class LogContext implements AutoCloseable {
    private final List<String> keys = new ArrayList<>();

    static LogContext with() {
        return new LogContext();
    }

    LogContext put(String key, Object value) {
        if (value != null) {
            MDC.put(key, value.toString());
            keys.add(key);
        }
        return this;
    }

    @Override
    public void close() {
        keys.forEach(MDC::remove);
    }
}
