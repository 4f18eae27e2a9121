package dev.spinmatch.spinctl.bench;

import ch.qos.logback.classic.Level;
import dev.spinmatch.publisher.PublisherOptions;
import dev.spinmatch.publisher.SpinPublisher;
import dev.spinmatch.spinctl.http.HttpLoadClient;
import dev.spinmatch.spinctl.http.ResponseHandler;
import dev.spinmatch.spinctl.up.Stack;
import dev.spinmatch.spinctl.up.StackOptions;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end benchmark: everything on this machine, loopback only, in one run. A fresh stack
 * (embedded PostgreSQL with fsync on, the embedded broker, the producer-api with its rate limit off,
 * N workers each with its own consumer and pool) takes spins of distinct users, open loop at a fixed
 * offered rate: first at {@code rate} over HTTP (spins/s answered 202, matches/s announced), then at
 * half of it (the spin-to-match latency: from the 202 to the consumed match_created), and on request
 * at {@code rate} straight through the publisher library (no HTTP). Prints one line a second per
 * phase and a markdown table, with where each phase's CPU went ({@link PhaseLoad}): PostgreSQL's CPU per match and
 * the shares of PostgreSQL, the JVM and the load client, and the workers' contention retries per second. Every phase is bounded: {@code seconds} of load plus at most
 * {@link BenchPhase#DRAIN_LIMIT} to drain.
 */
public final class PipelineBenchmark {
    /**
     * @param rate offered spins per second of the full-load phases
     * @param seconds length of each phase's load
     * @param pools pools the users are spread over
     * @param connections keep-alive HTTP connections of the load client
     * @param warmupSeconds seconds of load at a quarter of {@code rate} before the measured phases (not reported):
     *                      without it the first phase measures the JIT compiler, which shares the 2 cores
     * @param dbUrl an external, empty PostgreSQL (user and password postgres) instead of the embedded one
     */
    public record Options(int rate, int seconds, int workers, int partitions, int pools, int connections,
            boolean publisher, int warmupSeconds, Optional<String> dbUrl) {
    }

    private PipelineBenchmark() {
    }

    public static void run(Options o, PrintStream out) throws Exception {
        quietPerEventLogs();
        if (System.getProperty("spinmatch.http.host") == null) {
            System.setProperty("spinmatch.http.host", "127.0.0.1"); // loopback only
        }
        try (Stack stack = Stack.start(new StackOptions(Optional.empty(), o.dbUrl(), "postgres", "postgres", o.workers(),
                0, o.partitions(), 0), out)) {
            out.printf("pipeline benchmark: %d workers, %d partitions, %d pools, %d cores, offered %,d spins/s for %d s%n",
                    o.workers(), o.partitions(), o.pools(), Runtime.getRuntime().availableProcessors(), o.rate(), o.seconds());
            URI api = URI.create("http://127.0.0.1:" + stack.api().port());
            if (o.warmupSeconds() > 0) {
                httpPhase(stack, api, "warm-up (not reported)", o.rate() / 4, o.warmupSeconds(), o, out);
            }
            List<BenchPhase.Result> results = new ArrayList<>();
            results.add(httpPhase(stack, api, "API (HTTP), full load", o.rate(), o.seconds(), o, out));
            results.add(httpPhase(stack, api, "API (HTTP), half load", o.rate() / 2, o.seconds(), o, out));
            if (o.publisher()) {
                try (SpinPublisher publisher = new SpinPublisher(PublisherOptions.defaults(stack.kafkaBootstrap()))) {
                    results.add(phase(stack, "publisher (no HTTP), full load", o.rate(), o.seconds(), o,
                            (user, pool, spinId, phase) -> publisher.join(user, pool, spinId, null)
                                    .whenComplete((ok, error) -> phase.answered(spinId, error == null ? 202 : 0)), out));
                }
            }
            out.println();
            out.print(BenchPhase.table(results));
        }
    }

    private static BenchPhase.Result httpPhase(Stack stack, URI api, String label, int rate, int seconds, Options o,
            PrintStream out) throws Exception {
        HttpLoadClient client = new HttpLoadClient(api, "dev-token", o.connections(), 1, 2);
        try {
            return phase(stack, label, rate, seconds, o, (user, pool, spinId, phase) -> client.send("POST", "/v1/spins",
                    "{\"userId\":\"" + user + "\",\"pool\":\"" + pool + "\",\"spinId\":\"" + spinId + "\"}",
                    new ResponseHandler() {
                        @Override
                        public void onResponse(int status, byte[] body) {
                            phase.answered(spinId, status);
                        }

                        @Override
                        public void onFailure(String kind) {
                            phase.answered(spinId, 0);
                        }
                    }), out);
        } finally {
            client.close();
        }
    }

    /** One spin of a new user, sent however the phase sends; the sender reports the answer to the phase. */
    interface Sender {
        void spin(String user, String pool, UUID spinId, BenchPhase phase);
    }

    /** Offers {@code rate} spins/s for {@code seconds} (open loop, in-flight bounded), then drains. */
    private static BenchPhase.Result phase(Stack stack, String label, int rate, int seconds, Options o, Sender sender,
            PrintStream out) throws Exception {
        try (BenchPhase phase = new BenchPhase(label, rate, stack.kafkaBootstrap(), stack.matchesTopic(), load(stack))) {
            out.printf("%n%s: %,d spins/s offered for %d s%n", label, rate, seconds);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long nextTick = start + TimeUnit.SECONDS.toNanos(1);
            long offered = 0;
            for (long now = start; now < end; now = System.nanoTime()) {
                long due = (now - start) * rate / 1_000_000_000L;
                for (; offered < due; offered++) {
                    if (phase.mayOffer()) {
                        String user = phase.user(offered);
                        sender.spin(user, "bench-" + offered % o.pools(), UUID.randomUUID(), phase);
                    }
                }
                if (now >= nextTick) {
                    out.println(phase.tick());
                    nextTick += TimeUnit.SECONDS.toNanos(1);
                }
                LockSupport.parkNanos(1_000_000); // a thousand wake-ups a second: the driver must not take the CPU it measures
            }
            return phase.drain(o.pools(), out);
        }
    }

    /** From now on: the CPU of the stack's PostgreSQL, of this JVM and of the load client, and the workers' retries. */
    private static PhaseLoad load(Stack stack) throws Exception {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(stack.dbUrl());
        db.setUser(stack.dbUser());
        db.setPassword(stack.dbPassword());
        return new PhaseLoad(ServerCpu.of(db), stack.workers().stream()
                .map(w -> URI.create("http://127.0.0.1:" + w.httpPort() + "/metrics")).toList());
    }

    private static void quietPerEventLogs() {
        for (String name : List.of("dev.spinmatch.worker.decisions", "dev.spinmatch.worker.AnnouncementRelay",
                "dev.spinmatch.api", "dev.spinmatch.worker.ContentionRetrier")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
        }
    }
}
