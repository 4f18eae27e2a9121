package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A join while matched (a "next") is applied set-based with the batch's other joins (spin._join_idle_users): the
 * match ends first, then the user joins like an idle user. Failures it must not have: ending the match ahead of the
 * partner's own earlier event in the batch (which changes who ended it and why), and a next paired in its batch
 * written as queued first and then updated (the cost the set-based path exists to save).
 */
class NextInABatchEndsTheMatchInBatchOrderTest extends SpinDatabase {
    private Object match;

    @BeforeEach
    void aliceAndBobAreMatched() {
        match = matchAliceWithBob();
        assertThat(match).isNotNull();
    }

    @Test
    void aNextEndsTheMatchForBothAndQueuesOnlyTheUserWhoPressedIt() {
        List<Map<String, Object>> rows = apply(Events.join("alice", "lobby", spin()));

        assertThat(resultOf(rows, "alice")).isEqualTo("next");
        assertThat(sql.text("SELECT end_reason || ' by ' || ended_by FROM spin.matches WHERE match_id = ?::uuid", match))
                .isEqualTo("next by alice");
        assertThat(sql.state("alice") + "," + sql.state("bob")).isEqualTo("waiting,idle");
        assertThat(sql.announcements()).filteredOn(r -> r.get("type").equals("match_ended") && r.get("match_id").equals(match))
                .extracting(r -> r.get("user_id")).containsExactly("alice", "bob");
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void aNextPairedInItsBatchIsInsertedMatchedNeverUpdated() {
        sql.exec("BEGIN");
        Map<String, Object> before = spinWrites();
        List<Map<String, Object>> rows = apply(Events.join("alice", "lobby", spin()), Events.join("carol", "lobby", spin()));
        Map<String, Object> after = spinWrites();
        sql.exec("COMMIT");

        assertThat(rows).filteredOn(r -> "matched".equals(r.get("result"))).extracting(r -> r.get("user_id"))
                .containsExactlyInAnyOrder("alice", "carol");
        assertThat((long) after.get("ins") - (long) before.get("ins")).as("spins inserted").isEqualTo(2);
        assertThat((long) after.get("upd") - (long) before.get("upd")).as("spins updated: the ended match's two, released")
                .isEqualTo(2);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void thePartnersEndEarlierInTheBatchKeepsItsReasonAndTheJoinIsAPlainJoin() {
        List<Map<String, Object>> rows = apply(Events.end("bob", match), Events.join("alice", "lobby", spin()));

        assertThat(resultOf(rows, "bob")).isEqualTo("ended");
        assertThat(resultOf(rows, "alice")).isEqualTo("queued");
        assertThat(sql.text("SELECT end_reason || ' by ' || ended_by FROM spin.matches WHERE match_id = ?::uuid", match))
                .isEqualTo("ended by bob");
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void thePartnersEndLaterInTheBatchFindsTheMatchAlreadyEndedByTheNext() {
        List<Map<String, Object>> rows = apply(Events.join("alice", "lobby", spin()), Events.end("bob", match));

        assertThat(resultOf(rows, "alice")).isEqualTo("next");
        assertThat(resultOf(rows, "bob")).isEqualTo("noop");
        assertThat(sql.text("SELECT end_reason || ' by ' || ended_by FROM spin.matches WHERE match_id = ?::uuid", match))
                .isEqualTo("next by alice");
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void bothPartnersPressingNextInOneBatchEndTheMatchOnceByTheEarlierAndBothArePairedInTheirBatch() {
        List<Map<String, Object>> rows = apply(Events.join("bob", "lobby", spin()), Events.join("carol", "lobby", spin()),
                Events.join("alice", "lobby", spin()), Events.join("dave", "lobby", spin()));

        assertThat(resultOf(rows, "bob")).isEqualTo("next");
        assertThat(resultOf(rows, "alice")).isEqualTo("queued");
        assertThat(sql.text("SELECT end_reason || ' by ' || ended_by FROM spin.matches WHERE match_id = ?::uuid", match))
                .isEqualTo("next by bob");
        assertThat(sql.announcements()).filteredOn(r -> r.get("type").equals("match_ended")).hasSize(2);
        // paired in batch order (bob with carol, alice with dave), as the per-event path could not
        assertThat(currentPartnerOf("bob")).isEqualTo("carol");
        assertThat(currentPartnerOf("alice")).isEqualTo("dave");
        assertThat(sql.violations()).isEmpty();
    }

    private List<Map<String, Object>> apply(String... events) {
        return sql.rows("SELECT * FROM spin.apply_batch(?::jsonb)", Events.array(List.of(events)));
    }

    private String currentPartnerOf(String user) {
        return sql.text("SELECT CASE WHEN m.user_a = ? THEN m.user_b ELSE m.user_a END"
                + " FROM spin.spins s JOIN spin.matches m ON m.match_id = s.match_id WHERE s.user_id = ? AND s.live", user, user);
    }

    /** This transaction's inserts and updates of spin rows so far. */
    private Map<String, Object> spinWrites() {
        return sql.rows("SELECT n_tup_ins AS ins, n_tup_upd AS upd FROM pg_stat_xact_user_tables"
                + " WHERE schemaname = 'spin' AND relname = 'spins'").get(0);
    }

    private static String resultOf(List<Map<String, Object>> rows, String user) {
        return rows.stream().filter(r -> r.get("event_id") != null && user.equals(r.get("user_id")))
                .map(r -> (String) r.get("result")).findFirst().orElseThrow();
    }
}
