package dev.spinmatch.spinctl.bench;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spinctl bench pipeline}: the end-to-end benchmark ({@link PipelineBenchmark}). */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "End to end on this machine (embedded PostgreSQL and Kafka, the API, N workers; loopback): "
                + "spins/s accepted over HTTP, matches/s, and 202 -> match_created latency at half load. Prints a markdown table.")
final class PipelineCommand implements Callable<Integer> {
    @Option(names = "--rate", defaultValue = "10000", description = "Offered spins/s at full load (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "60", description = "Load seconds per phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--workers", defaultValue = "3", description = "Matcher workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--partitions", defaultValue = "12", description = "Partitions of spin.requests (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--pools", defaultValue = "4", description = "Pools the users are spread over (default: ${DEFAULT-VALUE}).")
    int pools;

    @Option(names = "--connections", defaultValue = "256", description = "HTTP keep-alive connections, one request in flight each: the client's ceiling is "
            + "connections / round trip, and a 202 waits for linger (5 ms) and acks=all (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--publisher", description = "Also a full-load phase straight through the publisher library (no HTTP).")
    boolean publisher;

    @Option(names = "--warmup", defaultValue = "15", description = "Seconds of load at a quarter of --rate before the "
            + "measured phases, not reported; 0 measures a cold JVM (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--db", description = "External PostgreSQL JDBC URL of an empty database (user and password "
            + "postgres), for example one with pg_stat_statements to see where the database's time goes (default: embedded).")
    String db;

    @Override
    public Integer call() throws Exception {
        PipelineBenchmark.run(new PipelineBenchmark.Options(rate, seconds, workers, partitions, pools, connections, publisher,
                warmup, Optional.ofNullable(db)),
                System.out);
        return 0;
    }
}
