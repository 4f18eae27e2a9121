package dev.spinmatch.spinctl.storm;

import dev.spinmatch.simulation.Crowd;
import dev.spinmatch.simulation.MatchFeed;
import dev.spinmatch.simulation.SimulatedUser;
import dev.spinmatch.simulation.Transport;
import dev.spinmatch.spinctl.check.InvariantCheck;
import dev.spinmatch.spinctl.check.Violation;
import dev.spinmatch.spinctl.http.HttpLoadClient;
import dev.spinmatch.spinctl.http.ResponseHandler;
import dev.spinmatch.spinctl.reach.KafkaReach;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A storm: a crowd of simulated users ({@link Crowd}, the model the end-to-end tests drive too) against a
 * running API, through spinctl's load client, watching spin.matches for their outcomes ({@link MatchFeed}).
 * {@link LoadDriver} paces the load; {@link StormFinish} waits for quiet, checks the invariants and drains;
 * {@link StormStats} counts what the crowd saw.
 */
public final class Storm {
    private final StormOptions options;
    private final PrintStream progress;
    private final StormStats stats = new StormStats();

    public Storm(StormOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Runs the storm; once the load stops and no event arrived for a while, runs {@code check} (when
     * given) while the last users still wait, so stranded users show; then cancels what still waits and
     * returns what it saw.
     */
    public StormResult run(InvariantCheck check, String grace) throws InterruptedException, SQLException {
        long started = System.nanoTime();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storm-timer");
            t.setDaemon(true);
            return t;
        });
        try (HttpLoadClient client = new HttpLoadClient(options.api(), options.token(), options.connections(),
                options.pipeline(), options.ioThreads())) {
            Crowd crowd = new Crowd(users(), transport(client), stats, timer);
            try (MatchFeed feed = new MatchFeed(KafkaReach.clientConfig(options.kafkaBootstrap()),
                    Duration.ofMillis(KafkaReach.DEADLINE_MS), options.matchesTopic(), options.userPrefix(),
                    crowd::onEvent, stats::error)) {
                new LoadDriver(options, crowd, stats, progress).drive();
                crowd.stopActing();
                timer.shutdownNow();
                StormFinish finish = new StormFinish(crowd, stats, options.drainTimeout(), progress);
                finish.awaitInFlight();
                List<Violation> violations = check == null ? null : finish.checkWhenQuiet(check, grace);
                long drained = finish.drain();
                return StormResult.of(options, stats, crowd, System.nanoTime() - started, drained, violations);
            }
        } finally {
            timer.shutdownNow();
        }
    }

    private List<SimulatedUser> users() {
        List<SimulatedUser> users = new ArrayList<>();
        for (int i = 0; i < options.users(); i++) {
            users.add(new SimulatedUser(options.userId(i), options.pool(i), options.behaviour()));
        }
        return users;
    }

    /** spinctl's load client as the crowd's transport. */
    private static Transport transport(HttpLoadClient client) {
        return (method, path, body, answer) -> client.send(method, path, body, new ResponseHandler() {
            @Override
            public void onResponse(int status, byte[] responseBody) {
                answer.onStatus(status);
            }

            @Override
            public void onFailure(String kind) {
                answer.onFailure(kind);
            }
        });
    }
}
