package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spinmatch.events.JoinQueue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A spin nobody pairs with must not wait forever: past worker.spin.timeout it expires, announced on spin.matches. */
class SpinWaitingPastTheTimeoutExpiresWithAnEventTest {

    @Test
    void loneSpinExpiresAfterTheShortenedTimeoutWithSpinExpired() {
        try (Pipeline p = new Pipeline(1)) {
            p.startWorker("w1", Map.of("SPINMATCH_WORKER_SPIN_TIMEOUT", "500ms", "SPINMATCH_WORKER_EXPIRY_INTERVAL", "100ms"),
                    offsets -> { });
            JoinQueue join = p.join(p.user(1));
            p.send(join);
            List<JsonNode> events = p.matchRecords(1).stream().map(Pipeline::json).toList();
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.path("type").asText()).isEqualTo("spin_expired");
                assertThat(e.path("spinId").asText()).isEqualTo(join.spinId().toString());
                assertThat(e.path("traceId").asText()).isEqualTo(join.traceId());
            });
            assertThat(p.strings("SELECT outcome FROM spin.spins")).containsExactly("expired");
            assertThat(p.count("SELECT count(*) FROM spin.spins WHERE live")).as("the user is idle").isZero();
            assertThat(p.violations()).isEmpty();
        }
    }
}
