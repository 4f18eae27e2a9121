package dev.spinmatch.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Every meter a worker publishes at /metrics; names are documented in matcher-worker/README.md. */
final class WorkerMetrics {
    /** The kinds of spin.repair_kinds(), registered up front so a dashboard sees them at zero. */
    private static final List<String> REPAIR_KINDS =
            List.of("broken_match", "orphan_live_spin", "stranded");
    /** The kinds of spin.prune_history(). */
    private static final List<String> HISTORY_KINDS = List.of("spins", "matches", "event_results", "repair_log");
    /** The fields a dead letter can name besides an unknown one (RecordDecoder, EventCodec, the database). */
    private static final Set<String> DEAD_LETTER_FIELDS = Set.of("value", "key", RecordDecoder.HEADER_TRACE_FIELD,
            "record", "database", "event", "type", "v", "eventId", "userId", "spinId", "pool", "matchId",
            "occurredAt", "traceId", "reason");
    private final MeterRegistry registry;
    private final Counter matchesCreated;
    private final Timer spinToMatch;
    private final Counter contended;
    private final Counter contentionRetries;
    private final Counter contentionExhausted;
    private final DistributionSummary batchSize;
    private final Timer batchTransaction;
    private final Counter batchSplits;
    private final Counter relayPublished;
    private final Timer relayLag;
    private final Counter spinsExpired;
    private final Counter strandedFound;
    private final Counter repairRuns;
    private final AtomicLong relayBacklog = new AtomicLong();
    private final AtomicLong consumerLag = new AtomicLong();

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        matchesCreated = registry.counter("spinmatch.matches.created");
        spinToMatch = Timer.builder("spinmatch.spin.to.match")
                .description("from the join_queue event's occurredAt to the commit of its match")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        contended = registry.counter("spinmatch.lock.contention", "phase", "batch");
        contentionRetries = registry.counter("spinmatch.lock.contention.retries");
        contentionExhausted = registry.counter("spinmatch.lock.contention.exhausted");
        batchSize = DistributionSummary.builder("spinmatch.batch.size").baseUnit("records")
                .publishPercentileHistogram().register(registry);
        batchTransaction = Timer.builder("spinmatch.batch.transaction").publishPercentileHistogram()
                .register(registry);
        batchSplits = Counter.builder("spinmatch.batch.splits")
                .description("failing batch transactions split in two to find the event that fails them").register(registry);
        relayPublished = registry.counter("spinmatch.relay.published");
        relayLag = Timer.builder("spinmatch.relay.lag")
                .description("from the announced change's commit time to its acknowledged publication")
                .publishPercentileHistogram().register(registry);
        spinsExpired = registry.counter("spinmatch.spins.expired");
        strandedFound = Counter.builder("spinmatch.stranded.found")
                .description("waiting users the stranded-user sweep found beside a pairable partner").register(registry);
        repairRuns = registry.counter("spinmatch.repair.runs");
        for (String kind : REPAIR_KINDS) {
            registry.counter("spinmatch.repairs", "kind", kind);
        }
        for (String kind : HISTORY_KINDS) {
            registry.counter("spinmatch.history.pruned", "kind", kind);
        }
        registry.gauge("spinmatch.relay.backlog", relayBacklog);
        registry.gauge("spinmatch.consumer.lag", consumerLag);
    }

    MeterRegistry registry() {
        return registry;
    }

    void eventConsumed(String type) {
        registry.counter("spinmatch.events.consumed", "type", type).increment();
    }

    void eventResult(String result) {
        registry.counter("spinmatch.events.applied", "result", result).increment();
    }

    /** {@code field} comes partly from the record (an unknown field's name): only known names become tags. */
    void deadLettered(String field) {
        registry.counter("spinmatch.dlq.records", "field", DEAD_LETTER_FIELDS.contains(field) ? field : "unknown_field")
                .increment();
    }

    void matchesCreated(int count) {
        matchesCreated.increment(count);
    }

    void spinToMatch(Duration latency) {
        spinToMatch.record(latency);
    }

    void contended(int users) {
        contended.increment(users);
    }

    void contentionRetry(int users) {
        contentionRetries.increment(users);
    }

    void contentionExhausted(int users) {
        contentionExhausted.increment(users);
    }

    void batch(int records, Duration transaction) {
        batchSize.record(records);
        batchTransaction.record(transaction);
    }

    /** A batch transaction rolled back, by SQLSTATE ({@code 40P01} a deadlock; {@code none}: not the database). */
    void batchFailed(String sqlState) {
        registry.counter("spinmatch.batch.failures", "sqlstate", sqlState).increment();
    }

    void batchSplit() {
        batchSplits.increment();
    }

    void published(Duration lag) {
        relayPublished.increment();
        relayLag.record(lag);
    }

    void expired(int spins) {
        spinsExpired.increment(spins);
    }

    void strandedFound(int users) {
        strandedFound.increment(users);
    }

    void repaired(String kind) {
        registry.counter("spinmatch.repairs", "kind", kind).increment();
    }

    void repairRun() {
        repairRuns.increment();
    }

    void pruned(String kind, int rows) {
        registry.counter("spinmatch.history.pruned", "kind", kind).increment(rows);
    }

    void relayBacklog(long rows) {
        relayBacklog.set(rows);
    }

    void consumerLag(long records) {
        consumerLag.set(records);
    }
}
