package dev.spinmatch.spinctl.bench;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.MatchCreated;
import dev.spinmatch.events.MatchEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One phase of the pipeline benchmark: its own users (a unique prefix), the answers to their spins,
 * and a reader of spin.matches (from its end when the phase starts) that times each spin from its 202
 * to its consumed match_created. Thread-safe: answers arrive on the load client's threads, events on
 * the reader's.
 */
final class BenchPhase implements AutoCloseable {
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

    /** What a phase measured; rates are over the load window only. */
    record Result(String label, int offered, double acceptedPerSecond, long notAccepted, long notSent,
            double matchesPerSecond, long matchedSpins, long acceptedSpins, double p50Millis, double p99Millis,
            double maxMillis, PhaseLoad.Figures load) {
    }

    private final String label;
    private final int rate;
    private final String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    private final int maxInFlight;
    private final Map<UUID, Long> acceptedAt = new ConcurrentHashMap<>();
    private final Set<UUID> matchedSpins = ConcurrentHashMap.newKeySet();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder notAccepted = new LongAdder();
    private final LongAdder notSent = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PhaseLoad load;
    private final Recorder latencyMicros = new Recorder(TimeUnit.MINUTES.toMicros(10), 3);
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private final long start = System.nanoTime();
    private volatile boolean reading = true;
    private long ticks;
    private long[] previous = {0, 0};

    BenchPhase(String label, int rate, String bootstrap, String matchesTopic, PhaseLoad load) {
        this.label = label;
        this.rate = rate;
        this.load = load;
        this.maxInFlight = Math.max(1_000, rate); // about a second of load; beyond it the client is the limit
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(matchesTopic).stream()
                .map(p -> new TopicPartition(matchesTopic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now: every later event is read
        reader = new Thread(this::read, "bench-match-reader");
        reader.start();
    }

    String user(long n) {
        return prefix + n;
    }

    /** False when a second of load is already in flight: the spin is counted as not sent. */
    boolean mayOffer() {
        if (inFlight.get() >= maxInFlight) {
            notSent.increment();
            return false;
        }
        inFlight.incrementAndGet();
        return true;
    }

    /** The answer to a spin: 202 (accepted), anything else (0 = no answer) counts as not accepted. */
    void answered(UUID spinId, int status) {
        if (status == 202) {
            acceptedAt.putIfAbsent(spinId, System.nanoTime());
            accepted.increment();
        } else {
            notAccepted.increment();
        }
        inFlight.decrementAndGet();
    }

    /** The progress line of the second that just ended. */
    String tick() {
        long[] now = {accepted.sum(), matchedSpins.size()};
        String line = String.format("%4d s  accepted %,7d/s  matches %,7d/s  in flight %,d  not accepted %,d  not sent %,d",
                ++ticks, now[0] - previous[0], (now[1] - previous[1]) / 2, inFlight.get(), notAccepted.sum(), notSent.sum());
        previous = now;
        return line;
    }

    /**
     * Closes the load window, then waits (bounded) until every answer arrived and every accepted
     * spin but the last waiting one of each pool was matched.
     */
    Result drain(int pools, PrintStream out) throws InterruptedException {
        double window = (System.nanoTime() - start) / 1e9;
        long acceptedInWindow = accepted.sum();
        long matchedInWindow = matchedSpins.size();
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while ((inFlight.get() > 0 || matchedSpins.size() < accepted.sum() - pools) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        out.printf("drained in %.1f s: %,d of %,d accepted spins matched%n", (System.nanoTime() - start) / 1e9 - window,
                matchedSpins.size(), accepted.sum());
        Histogram h = latencyMicros.getIntervalHistogram();
        return new Result(label, rate, acceptedInWindow / window, notAccepted.sum(), notSent.sum(),
                matchedInWindow / 2.0 / window, matchedSpins.size(), accepted.sum(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                load.end(matchedSpins.size() / 2));
    }

    private void read() {
        EventCodec codec = new EventCodec();
        try {
            while (reading) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.key() != null && r.key().startsWith(prefix)) {
                        matched(codec.decodeMatchEvent(r.value()));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The first match_created of a spin times it; a redelivered one is ignored. */
    private void matched(MatchEvent event) {
        if (event instanceof MatchCreated created && matchedSpins.add(created.spinId())) {
            Long at = acceptedAt.get(created.spinId());
            long micros = at == null ? 0 : TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - at); // 0: matched before its 202 was read
            latencyMicros.recordValue(Math.min(micros, TimeUnit.MINUTES.toMicros(10)));
        }
    }

    static String table(List<Result> results) {
        StringBuilder t = new StringBuilder()
                .append("| phase | offered spins/s | accepted spins/s (202) | not accepted | not sent (client backlog) "
                        + "| matches/s | matched / accepted spins | 202 → match_created p50 | p99 | max "
                        + "| PostgreSQL CPU per match | CPU share: PostgreSQL / JVM / load client | contended retries/s |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            PhaseLoad.Figures l = r.load();
            t.append(String.format("| %s | %,d | %,.0f | %,d | %,d | %,.0f | %,d / %,d | %.1f ms | %.1f ms | %.1f ms "
                            + "| %,.0f µs | %.0f %% / %.0f %% / %.0f %% | %,.1f |%n",
                    r.label(), r.offered(), r.acceptedPerSecond(), r.notAccepted(), r.notSent(), r.matchesPerSecond(),
                    r.matchedSpins(), r.acceptedSpins(), r.p50Millis(), r.p99Millis(), r.maxMillis(),
                    l.postgresMicrosPerMatch(), 100 * l.postgresShare(), 100 * l.jvmShare(), 100 * l.clientShare(),
                    l.retriesPerSecond()));
        }
        return t.toString();
    }

    @Override
    public void close() throws InterruptedException {
        reading = false;
        consumer.wakeup();
        reader.join(5_000);
    }
}
