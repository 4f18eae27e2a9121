package dev.spinmatch.spinctl.storm;

import dev.spinmatch.simulation.CrowdListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counters, the spin-to-match latency histogram and the per-second timeline of one storm. Thread-safe. */
public final class StormStats implements CrowdListener {
    /** One second of the run, as printed in the progress line. */
    public record Second(int second, long accepted, long matches, long errors) {
    }

    final LongAdder requests = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder matchedSpins = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder matchesEnded = new LongAdder();
    final LongAdder duplicateEvents = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(TimeUnit.MINUTES.toMicros(10), 3);
    private final Histogram total = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final List<Second> timeline = new ArrayList<>();
    private volatile long lastEventNanos = System.nanoTime();
    private long[] previous = new long[3];

    @Override
    public void requestSent() {
        requests.increment();
    }

    @Override
    public void spinAccepted() {
        accepted.increment();
    }

    @Override
    public void spinMatched(long nanos) {
        matchedSpins.increment();
        latency.recordValue(Math.max(0, Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), total.getHighestTrackableValue())));
    }

    @Override
    public void spinCancelled() {
        cancelled.increment();
    }

    @Override
    public void spinExpired() {
        expired.increment();
    }

    @Override
    public void matchEnded() {
        matchesEnded.increment();
    }

    @Override
    public void duplicateEvent() {
        duplicateEvents.increment();
    }

    @Override
    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    @Override
    public void eventSeen() {
        lastEventNanos = System.nanoTime();
    }

    long nanosSinceLastEvent() {
        return System.nanoTime() - lastEventNanos;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> errorsByKind() {
        Map<String, Long> byKind = new TreeMap<>();
        errors.forEach((k, v) -> byKind.put(k, v.sum()));
        return byKind;
    }

    /** Closes the current second of the timeline; called once a second by one thread. */
    synchronized Second tick() {
        long[] now = {accepted.sum(), matchedSpins.sum(), errorCount()};
        Second s = new Second(timeline.size() + 1, now[0] - previous[0], (now[1] - previous[1]) / 2,
                now[2] - previous[2]);
        previous = now;
        timeline.add(s);
        total.add(latency.getIntervalHistogram());
        return s;
    }

    synchronized List<Second> timeline() {
        return List.copyOf(timeline);
    }

    /** The latency histogram so far, in microseconds. */
    synchronized Histogram latencyMicros() {
        total.add(latency.getIntervalHistogram());
        return total.copy();
    }
}
