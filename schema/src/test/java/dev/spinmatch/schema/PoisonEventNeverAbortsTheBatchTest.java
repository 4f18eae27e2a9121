package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PoisonEventNeverAbortsTheBatchTest extends SpinDatabase {

    private List<Map<String, Object>> apply(String... events) {
        return sql.rows("SELECT * FROM spin.apply_batch(?::jsonb)", Events.array(List.of(events)));
    }

    @Test
    void badEventsAreRejectedOneByOneAndTheOthersApplyAndMatch() {
        UUID reused = spin();
        List<Map<String, Object>> rows = apply(
                Events.join("alice", "lobby", reused),
                "42",
                "{\"type\":\"join_queue\",\"v\":1,\"eventId\":\"not-a-uuid\",\"userId\":\"x\"}",
                "{\"type\":\"dance\",\"v\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"x\"}",
                "{\"type\":\"join_queue\",\"v\":2,\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"x\"}",
                Events.join("bob", "Bad Pool", spin()),
                Events.join("", "lobby", spin()),
                Events.join("mallory", "lobby", reused),
                Events.join("bob", "lobby", spin()));
        assertThat(rows).extracting(r -> r.get("result")).containsExactly(
                "queued", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "queued",
                "matched", "matched");
        assertThat(rows.subList(1, 8)).extracting(r -> (String) r.get("detail")).allSatisfy(d -> assertThat(d).isNotBlank());
        assertThat((String) rows.get(5).get("detail")).contains("pool");
        assertThat((String) rows.get(7).get("detail")).contains("another user");
        assertThat(rows.subList(9, 11)).extracting(r -> r.get("partner_id")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(sql.count("SELECT count(*) FROM spin.spins WHERE user_id IN ('mallory', 'x', '')")).isZero();
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void eventsApplyInArrayOrderWithinOneUser() {
        UUID first = spin();
        UUID second = spin();
        List<Map<String, Object>> rows = apply(Events.join("alice", "lobby", first), Events.leave("alice", first),
                Events.join("alice", "lobby", second), Events.join("alice", "lobby", second));
        assertThat(rows).extracting(r -> r.get("result"))
                .containsExactly("queued", "cancelled", "queued", "duplicate", "waiting");
    }

    @Test
    void endAndNextInABatchEndTheMatchAndRematchWithOthers() {
        apply(Events.join("alice", "lobby", spin()), Events.join("bob", "lobby", spin()));
        Object match = sql.value("SELECT match_id FROM spin.matches WHERE ended_at IS NULL");
        List<Map<String, Object>> rows = apply(Events.end("bob", match), Events.join("carol", "lobby", spin()),
                Events.join("alice", "lobby", spin()));
        assertThat(rows).extracting(r -> r.get("result")).containsExactly("ended", "queued", "queued", "matched", "matched");
        assertThat(rows.subList(3, 5)).extracting(r -> r.get("user_id"), r -> r.get("partner_id"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("carol", "alice"),
                        org.assertj.core.groups.Tuple.tuple("alice", "carol"));
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void endMatchByANonParticipantIsANoOp() {
        apply(Events.join("alice", "lobby", spin()), Events.join("bob", "lobby", spin()));
        Object match = sql.value("SELECT match_id FROM spin.matches WHERE ended_at IS NULL");
        assertThat(apply(Events.end("mallory", match))).extracting(r -> r.get("result"), r -> r.get("detail"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("noop", "not a participant"));
        assertThat(sql.count("SELECT count(*) FROM spin.matches WHERE ended_at IS NULL")).isEqualTo(1);
    }
}
