package dev.spinmatch.spinctl.up;

import dev.spinmatch.api.ApiServer;
import dev.spinmatch.embedded.EmbeddedKafka;
import dev.spinmatch.embedded.EmbeddedPostgres;
import dev.spinmatch.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The stop order of a local stack. The API first: no new work comes in, and its in-flight requests finish while
 * Kafka still takes their events. Then every worker at once: each finishes its batch, commits its offsets and
 * leaves the group (stopped one by one, the last ones would take over the others' partitions first). Then
 * Kafka, then PostgreSQL last, so nothing that is still running loses its broker or its database and retries
 * for a minute. Null parts (external, or never started) are skipped; a part that fails to stop is reported and
 * the rest still stop.
 */
final class StackStop {
    /** Milliseconds each step took. */
    record Timings(long api, long workers, long kafka, long postgres) {
        long total() {
            return api + workers + kafka + postgres;
        }

        @Override
        public String toString() {
            return String.format("%.1f s (API %d ms, workers %d ms, Kafka %d ms, PostgreSQL %d ms)", total() / 1000.0,
                    api, workers, kafka, postgres);
        }
    }

    private final ApiServer api;
    private final List<Worker> workers;
    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;

    StackStop(ApiServer api, List<Worker> workers, EmbeddedKafka kafka, EmbeddedPostgres postgres) {
        this.api = api;
        this.workers = List.copyOf(workers);
        this.kafka = kafka;
        this.postgres = postgres;
    }

    Timings run() {
        return new Timings(timed("the API", api), timed("the workers", this::stopWorkers), timed("Kafka", kafka),
                timed("PostgreSQL", postgres));
    }

    private void stopWorkers() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (Worker worker : workers) {
            stopping.add(CompletableFuture.runAsync(worker::close));
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
    }

    private static long timed(String what, AutoCloseable part) {
        long start = System.nanoTime();
        if (part != null) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("stopping " + what + " failed: " + e.getMessage());
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
