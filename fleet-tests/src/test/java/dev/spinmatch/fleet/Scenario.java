package dev.spinmatch.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.publisher.PublisherOptions;
import dev.spinmatch.publisher.SpinPublisher;
import dev.spinmatch.testkit.OutcomeFeed;
import dev.spinmatch.testkit.PipelineAudit;
import dev.spinmatch.testkit.SpinningUsers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.testcontainers.containers.GenericContainer;

/**
 * One fault mid-storm: a fresh pipeline (API and 3 workers) on the shared backends, users through the
 * API, {@link #STEADY} of steady load, the fault, load for {@link #AFTER} once the fault is over, then
 * the users finish, the pipeline goes quiet and the audit runs. While a part is down the producer side
 * is checked as it happens (API and publisher with the broker down; offsets, DLQ and readiness with
 * the database down); {@link ScenarioResult} measures recovery from the users' point of view.
 */
final class Scenario {
    static final int USERS = 120;
    static final int POOLS = 4;
    static final Duration STEADY = Duration.ofSeconds(12);
    static final Duration OUTAGE = Duration.ofSeconds(10);
    static final Duration PAUSE = Duration.ofSeconds(14);
    static final Duration AFTER = Duration.ofSeconds(30);
    private final Backends backends;
    private final Fault fault;
    private final long seed;
    private final Map<UUID, String> acceptedByPublisher = new HashMap<>();
    private final Map<String, String> producerSide = new java.util.LinkedHashMap<>();

    Scenario(Backends backends, Fault fault, long seed) {
        this.backends = backends;
        this.fault = fault;
        this.seed = seed;
    }

    ScenarioResult run() throws Exception {
        String name = (fault.name() + "_" + seed).toLowerCase(Locale.ROOT);
        try (ContainerPipeline pipeline = new ContainerPipeline(backends, name, 3);
             OutcomeFeed feed = new OutcomeFeed(backends.bootstrap(), pipeline.probes.prefix)) {
            SpinningUsers load = new SpinningUsers(pipeline.apiUri(), ContainerPipeline.TOKEN, feed, pipeline.probes::user, USERS, POOLS, seed);
            long steadyFrom = System.currentTimeMillis() + STEADY.toMillis() / 3;
            Thread.sleep(STEADY.toMillis());
            long faultAt = System.currentTimeMillis();
            long backAt = inject(pipeline, load);
            Thread.sleep(AFTER.toMillis());
            long stoppedAt = System.currentTimeMillis();
            producerSide.put("users still waiting for an outcome 1 min after the load stopped",
                    String.valueOf(load.stop(Duration.ofMinutes(1))));
            feed.assertReading();
            producerSide.put("pipeline quiet (requests committed, outbox relayed) within 2 min",
                    String.valueOf(pipeline.probes.awaitQuiescence(Duration.ofMinutes(2))));
            Map<UUID, String> accepted = new HashMap<>(load.accepted());
            accepted.putAll(acceptedByPublisher);
            PipelineAudit audit = new PipelineAudit(pipeline.probes).allChecks(accepted);
            long dlq = pipeline.probes.dlqRecords(0).size();
            return ScenarioResult.of(fault, seed, load, feed, accepted.size(), audit.problems(), dlq,
                    steadyFrom, faultAt, backAt, stoppedAt, producerSide);
        }
    }

    /** Injects the fault; returns when the fault is over (the part back), in epoch millis. */
    private long inject(ContainerPipeline pipeline, SpinningUsers load) throws Exception {
        switch (fault) {
            case WORKER_KILLED -> {
                Backends.signal(pipeline.workers.get("w1"), "KILL");
                long at = System.currentTimeMillis();
                pipeline.startWorker("w1-replacement");
                return at;
            }
            case WORKER_PAUSED -> {
                GenericContainer<?> zombie = pipeline.workers.get("w2");
                Backends.signal(zombie, "STOP");
                long at = System.currentTimeMillis();
                Thread.sleep(PAUSE.toMillis());
                Backends.signal(zombie, "CONT");
                return at;
            }
            case BROKER_RESTARTED -> {
                return brokerOutage(pipeline, load);
            }
            case DATABASE_RESTARTED -> {
                return databaseOutage(pipeline);
            }
            default -> throw new IllegalArgumentException(fault.name());
        }
    }

    /**
     * The broker down: the API must answer 503 with Retry-After and never 202, the publisher library's
     * futures must fail; once the broker is back, the API must accept again within 10 s.
     */
    private long brokerOutage(ContainerPipeline pipeline, SpinningUsers load) throws Exception {
        Backends.stop(backends.kafka);
        long downAt = System.currentTimeMillis();
        try (SpinPublisher publisher = new SpinPublisher(publisherOptions(pipeline.probes.requests))) {
            CompletableFuture<?> whileDown = publisher.join(pipeline.probes.user(-1), "p0", UUID.randomUUID(), null);
            producerSide.put("publisher while the broker is down", outcome(whileDown));
            sleepUntil(downAt + OUTAGE.toMillis());
            long startAt = System.currentTimeMillis();
            Backends.start(backends.kafka);
            long backAt = awaitTrue(backends::brokerAnswers, Duration.ofMinutes(1));
            List<SpinningUsers.Answer> during = load.answers().stream()
                    .filter(a -> a.atMillis() > downAt + 1_000 && a.atMillis() < startAt).toList();
            producerSide.put("API answers while down", summary(during));
            assertThat(during).as("API answers while the broker is down").isNotEmpty()
                    .noneMatch(a -> a.status() == 202).anyMatch(a -> a.status() == 503);
            long firstAccepted = awaitTrue(() -> load.answers().stream()
                    .anyMatch(a -> a.atMillis() > backAt && a.status() == 202), Duration.ofSeconds(30));
            producerSide.put("API accepts again after the broker is back", (firstAccepted - backAt) + " ms");
            assertThat(firstAccepted - backAt).as("ms from the broker's return to the API's next 202").isLessThanOrEqualTo(10_000);
            UUID spinId = UUID.randomUUID();
            String user = pipeline.probes.user(-2);
            publisher.join(user, "p0", spinId, null).get(30, TimeUnit.SECONDS);
            acceptedByPublisher.put(spinId, user);
            publisher.leave(user, spinId, null).get(30, TimeUnit.SECONDS);   // so it has an outcome, partner or not
            producerSide.put("publisher after the broker is back", "acknowledged");
            return backAt;
        }
    }

    /**
     * The database down: the workers must stop committing offsets, dead-letter nothing, report not
     * ready, and resume by themselves once it is back.
     */
    private long databaseOutage(ContainerPipeline pipeline) throws Exception {
        Backends.stop(backends.postgres);
        long downAt = System.currentTimeMillis();
        Thread.sleep(3_000);   // batches in flight when it stopped finish or fail
        Map<TopicPartition, OffsetAndMetadata> committedEarly = pipeline.probes.committedOffsets();
        Map<String, Integer> readiness = new HashMap<>();
        while (System.currentTimeMillis() < downAt + OUTAGE.toMillis()) {
            pipeline.workers.keySet().forEach(id -> readiness.merge(id, pipeline.workerReadiness(id), Math::max));
            Thread.sleep(500);
        }
        Map<TopicPartition, OffsetAndMetadata> committedLate = pipeline.probes.committedOffsets();
        Backends.start(backends.postgres);
        long backAt = awaitTrue(backends::databaseAnswers, Duration.ofMinutes(1));
        producerSide.put("worker /readyz while the database is down (highest status seen)", readiness.toString());
        producerSide.put("offsets committed while the database is down", String.valueOf(!committedEarly.equals(committedLate)));
        assertThat(committedLate).as("offsets committed while the database is down").isEqualTo(committedEarly);
        assertThat(readiness.values()).as("every worker's /readyz while the database is down").allMatch(s -> s == 503);
        return backAt;
    }

    private PublisherOptions publisherOptions(String topic) {
        return PublisherOptions.defaults(backends.bootstrap()).withTopic(topic).withDeliveryTimeout(Duration.ofSeconds(5))
                .withMaxBlock(Duration.ofSeconds(2));
    }

    private static String outcome(CompletableFuture<?> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
            throw new AssertionError("the publisher's future completed while the broker was down");
        } catch (java.util.concurrent.ExecutionException e) {
            return "failed: " + e.getCause().getClass().getSimpleName();
        } catch (Exception e) {
            throw new AssertionError("the publisher's future neither failed nor completed in 30 s", e);
        }
    }

    private static String summary(List<SpinningUsers.Answer> answers) {
        Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        answers.forEach(a -> byStatus.merge(a.status(), 1L, Long::sum));
        return byStatus.toString();
    }

    private static long awaitTrue(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.currentTimeMillis() + limit.toMillis();
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited " + limit).isLessThan(deadline);
            Thread.sleep(100);
        }
        return System.currentTimeMillis();
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        Thread.sleep(Math.max(0, epochMillis - System.currentTimeMillis()));
    }
}
