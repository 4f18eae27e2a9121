package dev.spinmatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.testkit.HostileRecord;
import dev.spinmatch.testkit.HostileRecords;
import dev.spinmatch.testkit.HostileRequests;
import dev.spinmatch.testkit.PipelineAudit;
import dev.spinmatch.testkit.RawHttp;
import dev.spinmatch.testkit.Samples;
import dev.spinmatch.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * No input stops the fleet. While users spin, cancel and "next" through the API, three things hit the
 * same system at once: 10,000 hostile HTTP requests (malformed URIs, queries and encodings, bodies that
 * are not JSON, broken framing), 10,000 hostile Kafka records written straight to the request topic
 * (garbage, truncated, non-UTF-8, deeply nested, huge, every field wrong, bad keys, null and duplicate
 * traceId headers), and users ending other users' matches and cancelling other users' spins in crossed
 * pairs. Targets: no 5xx and nothing written for a refused request, every hostile record dead-lettered
 * with a reason, no worker down, no partition stalled, no deadlock, no invariant broken, every accepted
 * spin exactly one outcome.
 */
@Disabled("issue 16 item 7, not passing yet: on the loaded 2-core machine 63 storm requests failed (client-side"
        + " CompletionException) under the 10,000 hostile requests, and crossed foreign ends deadlock until the lead's"
        + " spin._end lock-order fix is on main; see /work/coord/hostile.md")
class HostileTrafficNeverStopsTheFleetTest {
    private static final int USERS = 600;
    private static final int HOSTILE_REQUESTS = 10_000;
    private static final int HOSTILE_RECORDS = 10_000;
    private static final long SEED = 16;
    /** Foreign ends and cancels at least (the storm's own ends and cancels are a few thousand). */
    private static final int TRESPASSES = 400;

    @Test
    void stormIsMatchedWhileHostileRequestsRecordsAndTrespassersAreRefusedOrMadeHarmless() throws Exception {
        try (SpinSystem system = new SpinSystem(12, 3);
             SimulatedUsers users = new SimulatedUsers(system, USERS, 3, 0)) {
            long deadlocksBefore = deadlocks(system);
            ExecutorService hostile = Executors.newFixedThreadPool(2);
            Trespassers trespassers = new Trespassers(system);
            List<String> stormUsers = IntStream.range(0, USERS).mapToObj(system::user).toList();
            Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();

            CompletableFuture<Boolean> storm = CompletableFuture.supplyAsync(() -> run(users));
            List<Future<?>> requests = Samples.of(HostileRequests.any(SpinSystem.TOKEN), HOSTILE_REQUESTS, SEED).stream()
                    .<Future<?>>map(r -> hostile.submit(() -> statuses.computeIfAbsent(r.kind() + " " + send(system, r.bytes()),
                            s -> new AtomicLong()).incrementAndGet())).toList();
            List<HostileRecord> records = Samples.of(HostileRecords.invalid(), HOSTILE_RECORDS, SEED);
            List<Future<RecordMetadata>> written = records.stream().map(r -> system.sendRaw(new ProducerRecord<>(
                    system.requests, null, r.key(), r.value(), new RecordHeaders(r.headers())))).toList();
            // crossed pairs while the storm runs, and on (its matches stay until the end) until enough were sent
            for (int round = 0; !storm.isDone() || (trespassers.sent() < 2 * TRESPASSES && round < 100); round++) {
                trespassers.crossOnce(stormUsers, users.accepted(), 20);
            }
            for (Future<?> request : requests) {
                request.get();
            }
            for (Future<RecordMetadata> record : written) {
                record.get();
            }
            hostile.shutdown();
            assertThat(storm.get()).as("every storm user finished its script").isTrue();
            users.cancelTheWaitingOnceQuiet();

            System.out.println("hostile requests by kind and status (-1: connection closed before a response): " + statuses);
            assertThat(statuses.keySet()).as("kind and status of the hostile requests").allSatisfy(kindStatus -> {
                int status = Integer.parseInt(kindStatus.substring(kindStatus.lastIndexOf(' ') + 1));
                // a request that breaks HTTP framing may see the connection closed (reset) instead of its 400
                assertThat(status == -1 ? kindStatus.startsWith("bad framing") : status >= 400 && status <= 499)
                        .as(kindStatus).isTrue();
            });
            assertThat(trespassers.sent()).as("foreign ends and cancels sent").isGreaterThanOrEqualTo(TRESPASSES);
            assertThat(trespassers.notAccepted()).as("foreign ends and cancels not accepted").isZero();
            assertThat(recordsOnTheRequestTopic(system) - HOSTILE_RECORDS).as("records the API wrote")
                    .isEqualTo(apiAccepted(system));
            List<ConsumerRecord<byte[], byte[]>> dead = system.dlqRecords(HOSTILE_RECORDS);
            assertThat(dead).as("dead letters").hasSize(HOSTILE_RECORDS)
                    .allSatisfy(r -> assertThat(SpinSystem.header(r, "reason")).isNotBlank());
            assertThat(system.workers()).as("workers consuming").allSatisfy(w -> assertThat(w.consuming()).isTrue());
            for (Worker worker : system.workers()) {
                assertThat(metric(worker, "spinmatch_partition_stalled_seconds")).as("stalled partitions").isZero();
                assertThat(metric(worker, "spinmatch_batch_failures_total{sqlstate=\"40P01\"")).as("deadlocked batches").isZero();
            }
            assertThat(deadlocks(system) - deadlocksBefore).as("deadlocks (pg_stat_database)").isZero();
            new PipelineAudit(system).allChecks(users.accepted()).assertNoProblems();
        }
    }

    private static boolean run(SimulatedUsers users) {
        try {
            return users.run(Duration.ofMinutes(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int send(SpinSystem system, byte[] request) {
        try {
            return RawHttp.send("127.0.0.1", system.api.port(), request).status();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static long recordsOnTheRequestTopic(SpinSystem system) {
        return system.endOffsets().values().stream().mapToLong(Long::longValue).sum();
    }

    /** The API's 202s by its own metrics: each is one record it wrote. */
    private static long apiAccepted(SpinSystem system) throws Exception {
        return (long) sum(scrape(system.apiUri().resolve("/metrics")), "http_server_requests_seconds_count{", "status=\"202\"");
    }

    private static double metric(Worker worker, String prefix) throws Exception {
        return sum(scrape(URI.create("http://127.0.0.1:" + worker.httpPort() + "/metrics")), prefix, "");
    }

    private static long deadlocks(SpinSystem system) {
        return system.count("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
    }

    private static String scrape(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double sum(String metrics, String prefix, String labelFragment) {
        return metrics.lines().filter(l -> l.startsWith(prefix) && l.contains(labelFragment))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
