package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each live inconsistency the checker knows and constraints cannot exclude, made directly in SQL, is found
 * and repaired by spin.repairs(), announced like any change of the same kind, written to the repair log,
 * and leaves no live violation behind.
 */
class RepairFixesEveryLiveInconsistencyTest extends SpinDatabase {
    private Object match;

    @BeforeEach
    void aliceMatchedWithBob() {
        match = matchAliceWithBob();
        assertThat(sql.violations()).isEmpty();
    }

    private List<Map<String, Object>> repairs() {
        return sql.rows("SELECT * FROM spin.repairs()");
    }

    private long announced(String type, String user) {
        return sql.announcements().stream().filter(r -> type.equals(r.get("type")) && user.equals(r.get("user_id"))).count();
    }

    @Test
    void matchAParticipantLeftIsEndedWithReasonRepairAndBothAreTold() {
        sql.exec("UPDATE spin.spins SET live = NULL WHERE user_id = 'alice'");
        assertThat(repairs()).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("kind", "broken_match").containsEntry("match_id", match)
                .containsEntry("user_id", "alice").containsEntry("partner_id", "bob"));
        assertThat(sql.text("SELECT end_reason FROM spin.matches WHERE match_id = ?", match)).isEqualTo("repair");
        assertThat(announced("match_ended", "alice")).isEqualTo(1);
        assertThat(announced("match_ended", "bob")).isEqualTo(1);
        assertThat(sql.state("bob")).isEqualTo("idle");
        assertThat(sql.count("SELECT count(*) FROM spin.repair_log WHERE kind = 'broken_match'")).isEqualTo(1);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void matchAcrossPoolsIsEndedAndWhatStaysIsHistory() {
        sql.exec("UPDATE spin.spins SET pool = 'games' WHERE user_id = 'bob'");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("match_spins_mismatch");
        assertThat(repairs()).extracting(r -> r.get("kind")).containsExactly("broken_match");
        assertThat(sql.value("SELECT ended_at IS NOT NULL FROM spin.matches WHERE match_id = ?", match)).isEqualTo(true);
        // what stays is history: an ended match whose spin pools disagree; no write can undo it
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("match_spins_mismatch");
        assertThat(repairs()).isEmpty();
    }

    @Test
    void rematchWithinTheCooldownIsEnded() {
        sql.exec("SELECT spin.end_match(?, 'alice')", match);
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        sql.exec("UPDATE spin.settings SET rematch_cooldown = interval '0'");
        Object again = sql.match("alice").get(0).get("match_id");
        sql.exec("UPDATE spin.settings SET rematch_cooldown = interval '5 minutes'");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("rematch_within_cooldown");
        assertThat(repairs()).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("kind", "broken_match").containsEntry("match_id", again));
        assertThat(announced("match_ended", "bob")).isEqualTo(2);
    }

    @Test
    void liveSpinOfAnEndedMatchIsReleased() {
        sql.exec("UPDATE spin.matches SET ended_at = now(), end_reason = 'ended', ended_xid = spin.xid() WHERE match_id = ?", match);
        sql.exec("UPDATE spin.spins SET live = NULL WHERE user_id = 'bob'");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("match_spins_mismatch");
        assertThat(repairs()).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("kind", "orphan_live_spin").containsEntry("user_id", "alice").containsEntry("match_id", match));
        assertThat(sql.state("alice")).isEqualTo("idle");
        assertThat(sql.join("alice", "lobby", spin())).as("alice can spin again").isEqualTo("queued");
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void liveSpinOfAMatchThatDoesNotExistIsReleased() {
        sql.join("carol", "lobby", spin());
        sql.exec("UPDATE spin.spins SET outcome = 'matched', match_id = gen_random_uuid() WHERE user_id = 'carol'");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("spin_matched_outside_match");
        assertThat(repairs()).extracting(r -> r.get("kind"), r -> r.get("user_id"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orphan_live_spin", "carol"));
        assertThat(sql.state("carol")).isEqualTo("idle");
        assertThat(sql.value("SELECT ended_at IS NULL FROM spin.matches WHERE match_id = ?", match)).isEqualTo(true);
    }

    @Test
    void strandedPairIsMatchedAfterTheGrace() {
        sql.join("carol", "lobby", spin());
        sql.join("dave", "lobby", spin());
        assertThat(sql.rows("SELECT * FROM spin.repairs(interval '1 hour')")).isEmpty();
        assertThat(sql.rows("SELECT * FROM spin.repairs(interval '0')")).extracting(r -> r.get("kind"))
                .containsExactly("stranded", "stranded");
        assertThat(announced("match_created", "carol")).isEqualTo(1);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void healthyStateNeedsNoRepairAndRepairIsRepeatable() {
        sql.join("carol", "lobby", spin());
        assertThat(repairs()).isEmpty();
        assertThat(sql.rows("SELECT * FROM spin.repair_state()")).extracting(r -> r.get("kind"), r -> r.get("repaired"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("broken_match", 0),
                        org.assertj.core.groups.Tuple.tuple("orphan_live_spin", 0),
                        org.assertj.core.groups.Tuple.tuple("stranded", 0));
    }

    @Test
    void repairSkipsWhatAnotherTransactionHoldsTheLockOf() throws Exception {
        sql.exec("UPDATE spin.spins SET live = NULL WHERE user_id = 'alice'");
        try (Sql other = newSession()) {
            other.connection.setAutoCommit(false);
            other.exec("SELECT pg_advisory_xact_lock(spin.lock_key('bob'))");
            assertThat(repairs()).isEmpty();
            other.connection.rollback();
        }
        assertThat(repairs()).extracting(r -> r.get("kind")).containsExactly("broken_match");
    }
}
