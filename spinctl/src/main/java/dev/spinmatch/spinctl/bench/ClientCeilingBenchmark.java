package dev.spinmatch.spinctl.bench;

import dev.spinmatch.spinctl.http.HttpLoadClient;
import dev.spinmatch.spinctl.http.ResponseHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The storm client's ceiling: how many requests per second a client completes against a no-op
 * server in the same JVM, closed loop with a fixed number of requests in flight. Compares the storm's
 * {@link HttpLoadClient} with the JDK HttpClient, against a Jetty 12 server (how the producer-api
 * serves) and against a bare NIO server (so the server is not what is measured). Bounded in time,
 * loopback only. Prints one line per second and the median.
 */
public final class ClientCeilingBenchmark {
    public enum Server { RAW, JETTY }

    public enum Client { STORM, JDK }

    public record Config(Server server, Client client, int connections, int depth, int ioThreads, Duration duration) {
        @Override
        public String toString() {
            return "server=" + server.name().toLowerCase() + " client=" + client.name().toLowerCase()
                    + " connections=" + connections + " depth=" + depth + " ioThreads=" + ioThreads;
        }
    }

    private static final String PATH = "/v1/spins";
    private static final String BODY = "{\"userId\":\"bench-user\",\"pool\":\"default\"}";

    private ClientCeilingBenchmark() {
    }

    /** Without arguments, runs the comparison quoted in BENCHMARKS.md. */
    public static void main(String[] args) throws Exception {
        Duration d = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        run(new Config(Server.RAW, Client.STORM, 64, 1, 2, d));
        run(new Config(Server.RAW, Client.STORM, 16, 8, 2, d));
        run(new Config(Server.RAW, Client.JDK, 64, 1, 2, d));
        run(new Config(Server.JETTY, Client.STORM, 64, 1, 2, d));
        run(new Config(Server.JETTY, Client.STORM, 16, 8, 2, d));
    }

    /** Runs one configuration; returns the median requests per second. */
    public static long run(Config config) throws Exception {
        try (AutoCloseable server = startServer(config.server())) {
            URI uri = config.server() == Server.RAW ? ((RawNoopServer) server).uri() : ((JettyNoopServer) server).uri();
            LongAdder ok = new LongAdder();
            LongAdder failed = new LongAdder();
            Driver driver = config.client() == Client.STORM ? new StormDriver(uri, config, ok, failed)
                    : new JdkDriver(uri, ok, failed);
            for (int i = 0; i < config.connections() * config.depth(); i++) {
                driver.fire();
            }
            long[] perSecond = measure(ok, failed, config.duration());
            driver.close();
            long median = Stats.median(perSecond);
            System.out.printf("median %,d req/s  (%s, %d s)%n", median, config, perSecond.length);
            return median;
        }
    }

    private static AutoCloseable startServer(Server server) throws Exception {
        return server == Server.RAW ? new RawNoopServer() : new JettyNoopServer();
    }

    private static long[] measure(LongAdder ok, LongAdder failed, Duration duration) throws InterruptedException {
        Thread.sleep(1_000); // warm-up second, not counted
        long[] perSecond = new long[(int) duration.toSeconds()];
        long before = ok.sum();
        for (int s = 0; s < perSecond.length; s++) {
            Thread.sleep(1_000);
            long now = ok.sum();
            perSecond[s] = now - before;
            before = now;
            System.out.printf("  %2d s: %,d req/s, failures so far %d%n", s + 1, perSecond[s], failed.sum());
        }
        return perSecond;
    }

    /** Closed loop: every completed request sends the next one. */
    private abstract static class Driver implements AutoCloseable {
        final LongAdder ok;
        final LongAdder failed;
        volatile boolean running = true;

        Driver(LongAdder ok, LongAdder failed) {
            this.ok = ok;
            this.failed = failed;
        }

        abstract void fire();

        void completed(boolean success) {
            (success ? ok : failed).increment();
            if (running) {
                fire();
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
        }
    }

    private static final class StormDriver extends Driver implements ResponseHandler {
        private final HttpLoadClient client;

        StormDriver(URI uri, Config config, LongAdder ok, LongAdder failed) {
            super(ok, failed);
            client = new HttpLoadClient(uri, "bench", config.connections(), config.depth(), config.ioThreads());
        }

        @Override
        void fire() {
            client.send("POST", PATH, BODY, this);
        }

        @Override
        public void onResponse(int status, byte[] body) {
            completed(status == 202);
        }

        @Override
        public void onFailure(String kind) {
            completed(false);
        }

        @Override
        public void close() throws Exception {
            super.close();
            client.close();
        }
    }

    private static final class JdkDriver extends Driver {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final HttpRequest request;

        JdkDriver(URI uri, LongAdder ok, LongAdder failed) {
            super(ok, failed);
            request = HttpRequest.newBuilder(uri.resolve(PATH)).header("Authorization", "Bearer bench")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build();
        }

        @Override
        void fire() {
            client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((response, error) -> completed(error == null && response.statusCode() == 202));
        }
    }
}
