package dev.spinmatch.spinctl.storm;

import dev.spinmatch.simulation.Behaviour;
import dev.spinmatch.spinctl.reach.KafkaReach;
import dev.spinmatch.spinctl.check.DatabaseOptions;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spinctl storm}: simulated users against any running API; exit 1 on a broken invariant or a lost spin. */
@Command(name = "storm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulated concurrent users against a running API, watching spin.matches for the outcomes. "
                + "Exit code 1 when no spin is accepted, errors exceed --max-error-rate, an invariant is violated, "
                + "a user is stranded or an accepted spin is lost; 2 when Kafka or the database cannot be reached.")
public final class StormCommand implements Callable<Integer> {
    @Option(names = "--api", descriptionKey = "api.url", defaultValue = "http://127.0.0.1:8080",
            description = "Base URL of the producer-api (http only; default: $SPINMATCH_API_URL or ${DEFAULT-VALUE}).")
    URI api;

    @Option(names = "--token", descriptionKey = "api.token", defaultValue = "dev-token",
            description = "Bearer token (default: $SPINMATCH_API_TOKEN or ${DEFAULT-VALUE}).")
    String token;

    @Option(names = "--kafka", descriptionKey = "kafka.bootstrap", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers to read spin.matches from (default: $SPINMATCH_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE}).")
    String kafka;

    @Option(names = "--topic", descriptionKey = "topic.matches", defaultValue = "spin.matches", description = "Topic of match events (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--users", defaultValue = "1000", description = "Simulated users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--pools", defaultValue = "4", description = "Pools the users are spread over (default: ${DEFAULT-VALUE}).")
    int pools;

    @Option(names = "--pool-prefix", defaultValue = "storm", description = "Pools are named PREFIX-0, PREFIX-1... (default: ${DEFAULT-VALUE}).")
    String poolPrefix;

    @Option(names = "--rate", defaultValue = "0", description = "New spins per second, open loop; 0 = closed loop at --concurrency (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--concurrency", defaultValue = "64", description = "Requests in flight when --rate is 0 (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to generate load, e.g. 20s, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--cancel", defaultValue = "0.05", description = "Probability a waiting user cancels (default: ${DEFAULT-VALUE}).")
    double cancel;

    @Option(names = "--next", defaultValue = "0.5", description = "Probability a matched user spins straight into the next match instead of ending it (default: ${DEFAULT-VALUE}).")
    double next;

    @Option(names = "--disconnect", defaultValue = "0.01", description = "Probability a user vanishes after its spin is accepted, so the spin must expire (default: ${DEFAULT-VALUE}).")
    double disconnect;

    @Option(names = "--respin", defaultValue = "0", description = "Probability a waiting user spins again, superseding its spin (default: ${DEFAULT-VALUE}).")
    double respin;

    @Option(names = "--hold", defaultValue = "100ms", converter = DurationConverter.class,
            description = "Longest think time before a user's next action (default: ${DEFAULT-VALUE}).")
    Duration hold;

    @Option(names = "--drain-timeout", defaultValue = "15s", converter = DurationConverter.class,
            description = "How long to wait for the outcome of every accepted spin after the load stops (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Mixin
    DatabaseOptions db;

    @Option(names = "--grace", defaultValue = "1 second", description = "Stranded-user grace for the invariant check (default: ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--connections", defaultValue = "64", description = "Keep-alive HTTP connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--pipeline", defaultValue = "1", description = "Requests pipelined per connection (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--io-threads", defaultValue = "2", description = "HTTP client selector threads (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--max-error-rate", defaultValue = "0.01",
            description = "Fail when more than this share of the requests fail (default: ${DEFAULT-VALUE} = 1 %%).")
    double maxErrorRate;

    @Option(names = "--json", description = "Print the final report as JSON (progress goes to stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        StormOptions options = new StormOptions(api, token, kafka, topic, users, pools, poolPrefix, rate, concurrency,
                duration, new Behaviour(cancel, next, disconnect, respin, hold, 0), drainTimeout, connections, pipeline,
                ioThreads, maxErrorRate, StormOptions.newRunId());
        KafkaReach.clusterId(kafka);
        if (db.url != null) {
            db.requireReachable();
        }
        PrintStream progress = json ? System.err : System.out;
        progress.printf("storm %s: %,d users in %d pools against %s for %s (%s)%n", options.runId(), users, pools, api,
                duration, rate > 0 ? rate + " spins/s" : concurrency + " in flight");
        StormResult result = new Storm(options, progress).run(db.url == null ? null : db.check(), grace);
        if (json) {
            System.out.println(StormReport.json(result));
        } else {
            StormReport.print(result, System.out);
        }
        return result.passed() ? 0 : 1;
    }
}
