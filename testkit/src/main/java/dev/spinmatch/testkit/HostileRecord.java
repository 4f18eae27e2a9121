package dev.spinmatch.testkit;

import dev.spinmatch.events.SpinRequest;
import java.util.List;
import org.apache.kafka.common.header.Header;

/**
 * One request record as a hostile or careless producer may write it, with what the worker must make
 * of it: the event it carries ({@code expectedEvent}, the traceId of a header applied) when it is
 * valid, otherwise the field its dead letter must name ({@code expectedField}). {@code kind} says how it
 * was made, for statistics and failure messages.
 */
public record HostileRecord(String kind, byte[] key, byte[] value, List<Header> headers, SpinRequest expectedEvent,
        String expectedField) {

    public boolean valid() {
        return expectedEvent != null;
    }

    @Override
    public String toString() {
        return kind + (valid() ? " (valid)" : " (dead letter naming " + expectedField + ")");
    }
}
