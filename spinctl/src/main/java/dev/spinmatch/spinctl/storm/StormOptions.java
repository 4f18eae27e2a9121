package dev.spinmatch.spinctl.storm;

import java.net.URI;
import java.time.Duration;

/**
 * Everything one storm run needs, fixed before it starts.
 *
 * @param rate new spins per second (open loop); 0 means closed loop bounded by {@code concurrency}
 * @param concurrency requests in flight at most when {@code rate} is 0
 * @param cancel probability that a waiting user cancels before being matched
 * @param next probability that a matched user spins again straight away ("next"); otherwise it ends the match
 * @param disconnect probability that a user vanishes after its spin is accepted (its spin must expire or match)
 * @param hold the longest a user waits before its next action (cancel, end, next); uniform from 0
 * @param maxErrorRate the share of requests that may fail (any answer but 2xx, or no answer) before the storm fails
 */
public record StormOptions(URI api, String token, String kafkaBootstrap, String matchesTopic, int users, int pools,
        String poolPrefix, int rate, int concurrency, Duration duration, double cancel, double next,
        double disconnect, Duration hold, Duration drainTimeout, int connections, int pipeline, int ioThreads,
        double maxErrorRate, String runId) {
    public static final double DEFAULT_MAX_ERROR_RATE = 0.01;

    /** The storm's usual behaviour mix, closed loop at 64 requests in flight, over 4 pools. */
    public static StormOptions defaults(URI api, String kafkaBootstrap, String matchesTopic, int users,
            Duration duration) {
        return new StormOptions(api, "dev-token", kafkaBootstrap, matchesTopic, users, 4, "storm", 0, 64, duration,
                0.05, 0.5, 0.01, Duration.ofMillis(100), Duration.ofSeconds(15), 64, 1, 2, DEFAULT_MAX_ERROR_RATE,
                newRunId());
    }

    public StormOptions withDrainTimeout(Duration value) {
        return new StormOptions(api, token, kafkaBootstrap, matchesTopic, users, pools, poolPrefix, rate, concurrency,
                duration, cancel, next, disconnect, hold, value, connections, pipeline, ioThreads, maxErrorRate, runId);
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
