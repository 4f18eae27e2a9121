package dev.spinmatch.spinctl.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Where one phase's CPU went, to tell which part is the limit on a bigger machine: PostgreSQL (its processes),
 * this JVM without the load client (API, workers, broker), and the load client (its I/O threads, the driver and
 * the reader of spin.matches), each as a share of the machine over the phase, with PostgreSQL's CPU per match and
 * the users the workers retried for lock contention per second (spinmatch_lock_contention_retries_total).
 */
final class PhaseLoad {
    /** Threads of the load client; everything else in the JVM is the system under test. */
    private static final List<String> CLIENT_THREADS = List.of("http-io-", "bench-match-reader", "main");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final ServerCpu postgres;
    private final List<URI> workerMetrics;
    private final Snapshot start;

    /** What a phase cost; shares are of all cores over the phase's wall time. */
    record Figures(double postgresMicrosPerMatch, double postgresShare, double jvmShare, double clientShare,
            double retriesPerSecond) {
    }

    private record Snapshot(long nanos, long postgresNanos, long processNanos, long clientNanos, double retries) {
    }

    PhaseLoad(ServerCpu postgres, List<URI> workerMetrics) {
        this.postgres = postgres;
        this.workerMetrics = workerMetrics;
        this.start = snapshot();
    }

    Figures end(long matches) {
        Snapshot end = snapshot();
        double machineNanos = (double) (end.nanos() - start.nanos()) * Runtime.getRuntime().availableProcessors();
        long client = end.clientNanos() - start.clientNanos();
        long jvm = end.processNanos() - start.processNanos() - client;
        long pg = end.postgresNanos() - start.postgresNanos();
        return new Figures(pg / 1000.0 / Math.max(1, matches), pg / machineNanos, jvm / machineNanos, client / machineNanos,
                (end.retries() - start.retries()) / ((end.nanos() - start.nanos()) / 1e9));
    }

    private Snapshot snapshot() {
        try {
            return new Snapshot(System.nanoTime(), postgres.total().toNanos(),
                    ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(),
                    clientNanos(), retries());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long clientNanos() {
        long nanos = 0;
        for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread != null && CLIENT_THREADS.stream().anyMatch(thread.getThreadName()::startsWith)) {
                nanos += Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return nanos;
    }

    /** The sum over the workers of their contention retries counter, read from their /metrics. */
    private double retries() {
        double sum = 0;
        HttpClient http = HttpClient.newHttpClient();
        for (URI uri : workerMetrics) {
            try {
                String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (String line : body.split("\n")) {
                    if (line.startsWith("spinmatch_lock_contention_retries_total")) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return sum;
    }
}
