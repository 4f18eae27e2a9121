package dev.spinmatch.spinctl.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spinctl bench}: the benchmarks, as subcommands. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures for BENCHMARKS.md.",
        subcommands = {BenchCommand.ClientCeiling.class, PipelineCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("choose a benchmark: spinctl bench client | pipeline");
        return 2;
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
