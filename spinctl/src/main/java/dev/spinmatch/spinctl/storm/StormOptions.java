package dev.spinmatch.spinctl.storm;

import dev.spinmatch.simulation.Behaviour;
import java.net.URI;
import java.time.Duration;

/**
 * Everything one storm run needs, fixed before it starts.
 *
 * @param rate new spins per second (open loop); 0 means closed loop bounded by {@code concurrency}
 * @param concurrency requests in flight at most when {@code rate} is 0
 * @param behaviour what each simulated user does (the model the end-to-end tests drive too)
 * @param maxErrorRate the share of requests that may fail (any answer but 2xx, or no answer) before the storm fails
 */
public record StormOptions(URI api, String token, String kafkaBootstrap, String matchesTopic, int users, int pools,
        String poolPrefix, int rate, int concurrency, Duration duration, Behaviour behaviour, Duration drainTimeout,
        int connections, int pipeline, int ioThreads, double maxErrorRate, String runId) {
    public static final double DEFAULT_MAX_ERROR_RATE = 0.01;

    /** The storm's usual behaviour mix, closed loop at 64 requests in flight, over 4 pools. */
    public static StormOptions defaults(URI api, String kafkaBootstrap, String matchesTopic, int users,
            Duration duration) {
        return new StormOptions(api, "dev-token", kafkaBootstrap, matchesTopic, users, 4, "storm", 0, 64, duration,
                new Behaviour(0.05, 0.5, 0.01, 0, Duration.ofMillis(100), 0), Duration.ofSeconds(15), 64, 1, 2,
                DEFAULT_MAX_ERROR_RATE, newRunId());
    }

    public StormOptions withDrainTimeout(Duration value) {
        return new StormOptions(api, token, kafkaBootstrap, matchesTopic, users, pools, poolPrefix, rate, concurrency,
                duration, behaviour, value, connections, pipeline, ioThreads, maxErrorRate, runId);
    }

    public static String newRunId() {
        return java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    public String userId(int index) {
        return "storm-" + runId + "-" + index;
    }

    public String userPrefix() {
        return "storm-" + runId + "-";
    }

    public String pool(int index) {
        return poolPrefix + "-" + (index % pools);
    }
}
