package dev.spinmatch.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.events.MatchCreated;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A user who spins again while their spin waits supersedes it, and no event announces a superseded spin: the
 * crowd must not count it as an accepted spin lost (a storm would fail on it), yet a match event that reaches it
 * after all (its match came before the respin) is its outcome, not a second one. The API is a fake answering
 * 202 at once; the events are made here.
 */
class SupersededSpinIsNeitherLostNorAnErrorTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> spins = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> errors = new ConcurrentHashMap<>();
    private final CrowdListener listener = new CrowdListener() {
        @Override
        public void error(String kind) {
            errors.merge(kind, 1, Integer::sum);
        }
    };

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void respinSupersedesTheWaitingSpinWithoutLosingIt() throws Exception {
        Crowd crowd = new Crowd(List.of(new SimulatedUser("u1", "solo", new Behaviour(0, 0, 0, 1, Duration.ZERO, 2))),
                this::answer202, listener, timer);

        assertThat(crowd.spinNext()).isTrue();
        awaitSpins(2);
        awaitSettled(crowd);

        assertThat(crowd.accepted()).hasSize(2);
        assertThat(crowd.supersededSpins()).isEqualTo(1);
        assertThat(crowd.unresolvedSpins()).as("only the second spin waits").isEqualTo(1);
        assertThat(errors).isEmpty();

        UUID first = UUID.fromString(spins.get(0));
        crowd.onEvent(new MatchCreated(UUID.randomUUID(), "u1", UUID.randomUUID(), "u2", "solo", first, Instant.now(),
                null));
        assertThat(errors).as("the superseded spin's late match is its outcome").isEmpty();
        assertThat(crowd.supersededSpins()).isZero();
    }

    private void answer202(String method, String path, String body, Transport.Answer answer) {
        if (method.equals("POST") && path.equals("/v1/spins")) {
            spins.add(body.replaceAll(".*\"spinId\":\"([^\"]+)\".*", "$1"));
        }
        timer.execute(() -> answer.onStatus(202));
    }

    private void awaitSpins(int count) throws InterruptedException {
        for (int i = 0; i < 200 && spins.size() < count; i++) {
            Thread.sleep(10);
        }
        assertThat(spins).hasSize(count);
    }

    private static void awaitSettled(Crowd crowd) throws InterruptedException {
        for (int i = 0; i < 200 && !crowd.settled(); i++) {
            Thread.sleep(10);
        }
        assertThat(crowd.settled()).isTrue();
    }
}
