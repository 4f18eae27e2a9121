package dev.spinmatch.spinctl.bench;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spinctl bench}: the benchmarks, as subcommands. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures for BENCHMARKS.md.",
        subcommands = {BenchCommand.Pipeline.class, BenchCommand.ClientCeiling.class})
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("choose a benchmark: spinctl bench pipeline | spinctl bench client");
        return 2;
    }

    /** {@code spinctl bench pipeline}: the end-to-end benchmark of the event pipeline, as a markdown table. */
    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = "Publisher -> embedded Kafka -> N workers -> embedded PostgreSQL -> spin.matches in this JVM, "
                    + "at a rate and at half of it; prints the markdown table for BENCHMARKS.md.")
    static final class Pipeline implements Callable<Integer> {
        @Option(names = "--rate", defaultValue = "10000", description = "Offered spins/s (default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--seconds", defaultValue = "60", description = "Seconds per load level (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--workers", defaultValue = "3", description = "Worker instances (default: ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--partitions", defaultValue = "12", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Override
        public Integer call() throws Exception {
            List<PipelineBenchmark.Result> results = PipelineBenchmark.run(rate, seconds, workers, partitions);
            System.out.printf("%nCommand: `java -jar spinctl/target/spinctl.jar bench pipeline --rate %d --seconds %d "
                    + "--workers %d --partitions %d` (%d cores)%n%n", rate, seconds, workers, partitions,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("| load | offered spins/s | accepted spins/s | failed | matches/s | p50 ms | p99 ms | max ms | users timed |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (PipelineBenchmark.Result r : results) {
                System.out.printf("| %s | %,d | %,.0f | %d | %,.0f | %.1f | %.1f | %.1f | %,d |%n", r.label(), r.offered(),
                        r.acceptedPerSecond(), r.failed(), r.matchesPerSecond(), r.p50Millis(), r.p99Millis(),
                        r.maxMillis(), r.users());
            }
            return 0;
        }
    }

    /** {@code spinctl bench client}: the storm client's ceiling against no-op servers. */
    @Command(name = "client", mixinStandardHelpOptions = true,
            description = "Requests/s of the storm's HTTP client against a no-op server in this JVM (loopback).")
    static final class ClientCeiling implements Callable<Integer> {
        @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per configuration (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Override
        public Integer call() throws Exception {
            ClientCeilingBenchmark.main(new String[] {String.valueOf(seconds)});
            return 0;
        }
    }
}
