package dev.spinmatch.api;

import dev.spinmatch.events.EndMatch;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts an event's IDs into the logging MDC for the lines logged inside a try-with-resources block, then
 * removes them. Needed because replies are written on whichever server thread runs the completion, not the request's.
 */
final class Mdc implements AutoCloseable {
    private final Map<String, String> keys;

    private Mdc(Map<String, String> keys) {
        this.keys = keys;
        keys.forEach(MDC::put);
    }

    static Mdc of(SpinRequest event) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("traceId", event.traceId());
        keys.put("userId", event.userId());
        keys.put("eventId", event.eventId().toString());
        if (event instanceof JoinQueue join) {
            keys.put("spinId", join.spinId().toString());
        } else if (event instanceof LeaveQueue leave) {
            keys.put("spinId", leave.spinId().toString());
        } else if (event instanceof EndMatch end) {
            keys.put("matchId", end.matchId().toString());
        }
        return new Mdc(keys);
    }

    static Mdc traceId(String traceId) {
        return new Mdc(Map.of("traceId", traceId));
    }

    @Override
    public void close() {
        keys.keySet().forEach(MDC::remove);
    }
}
