package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The API tells what became of an event from spin.event_results once the workers' offsets are past it: a
 * record the worker dead-lettered without a trace there read as applied. A dead letter whose event id can be
 * read is recorded as rejected with its reason, before the offsets are committed; one without a readable id is
 * only dead-lettered.
 */
class DeadLetterWithAReadableEventIdIsRecordedAsRejectedTest {
    @Test
    void undecodableEventWithAnIdIsRecordedWithTheDeadLettersReason() throws Exception {
        UUID eventId = UUID.randomUUID();
        UUID spinId = UUID.randomUUID();
        try (Pipeline p = new Pipeline(1)) {
            p.startWorker("w1");
            p.sendRaw(p.user(1), ("{\"type\":\"join_queue\",\"v\":1,\"eventId\":\"" + eventId + "\",\"userId\":\""
                    + p.user(1) + "\",\"spinId\":\"" + spinId + "\",\"pool\":\"Not A Pool\","
                    + "\"occurredAt\":\"2026-11-29T10:15:30Z\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.sendRaw(p.user(2), "{\"type\":\"join_queue\",\"eventId\":42}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

            assertThat(p.dlqRecords(2)).hasSize(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> p.count(
                    "SELECT count(*) FROM spin.event_results WHERE event_id = '" + eventId + "'") == 1);
            assertThat(p.strings("SELECT result || ' ' || event_type || ' ' || user_id || ' ' || spin_id || ' ' || reason"
                    + " FROM spin.event_results WHERE event_id = '" + eventId + "'"))
                    .containsExactly("rejected join_queue " + p.user(1) + " " + spinId + " pool: must match "
                            + "^[a-z0-9][a-z0-9_.-]{0,63}$");
            assertThat(p.count("SELECT count(*) FROM spin.event_results")).isEqualTo(1);
        }
    }
}
