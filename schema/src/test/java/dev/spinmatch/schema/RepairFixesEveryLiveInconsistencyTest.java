package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each inconsistency the checker knows and constraints cannot exclude, made directly in SQL (with
 * session_replication_role = replica, which skips the deferred foreign keys, only where a constraint
 * would refuse the state), is found and repaired by spin.repairs(), with its event and its decision row,
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

    private long events(String type, String user) {
        return sql.count("SELECT count(*) FROM spin.outbox WHERE payload->>'type' = ? AND message_key = ?", type, user);
    }

    @Test
    void matchAParticipantLeftIsEndedWithReasonRepairAndBothAreTold() {
        sql.exec("SET session_replication_role = replica");
        sql.exec("UPDATE spin.users SET state = 'idle', match_id = NULL WHERE user_id = 'alice'");
        sql.exec("SET session_replication_role = origin");
        assertThat(repairs()).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("kind", "broken_match").containsEntry("match_id", match)
                .containsEntry("user_id", "alice").containsEntry("partner_id", "bob"));
        assertThat(sql.text("SELECT end_reason FROM spin.matches WHERE match_id = ?", match)).isEqualTo("repair");
        assertThat(events("match_ended", "alice")).isEqualTo(1);
        assertThat(events("match_ended", "bob")).isEqualTo(1);
        assertThat(sql.text("SELECT state FROM spin.users WHERE user_id = 'bob'")).isEqualTo("idle");
        assertThat(sql.count("SELECT count(*) FROM spin.decisions WHERE kind = 'repair_broken_match'")).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM spin.decisions WHERE kind = 'match_ended' AND detail = 'repair'"))
                .as("ended as any match ends, in each participant's story").isEqualTo(2);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void thirdUserInATwoPersonMatchIsReleasedAndTheMembersCorrected() {
        sql.join("carol", "lobby", spin());
        sql.exec("SET session_replication_role = replica");
        sql.exec("UPDATE spin.spins SET outcome = 'superseded', closed_at = now() WHERE user_id = 'carol'");
        sql.exec("INSERT INTO spin.match_members (match_id, user_id, active) VALUES (?, 'carol', true)", match);
        sql.exec("UPDATE spin.users SET state = 'matched', match_id = ?, spin_id = NULL WHERE user_id = 'carol'", match);
        sql.exec("SET session_replication_role = origin");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).contains("match_members_mismatch");
        assertThat(repairs()).extracting(r -> r.get("kind")).containsExactly("broken_match");
        assertThat(events("match_ended", "carol")).isEqualTo(1);
        assertThat(sql.rows("SELECT user_id, state FROM spin.users ORDER BY user_id")).extracting(r -> r.get("state"))
                .containsOnly("idle");
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void matchWithoutItsMatchedSpinsIsEnded() {
        sql.exec("UPDATE spin.spins SET pool = 'games' WHERE user_id = 'bob'");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("match_spins_mismatch");
        assertThat(repairs()).extracting(r -> r.get("kind")).containsExactly("broken_match");
        assertThat(sql.value("SELECT active FROM spin.matches WHERE match_id = ?", match)).isEqualTo(false);
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
        assertThat(events("match_ended", "bob")).isEqualTo(2);
    }

    @Test
    void openSpinNobodyWaitsOnIsExpiredWithAnEvent() {
        UUID orphan = spin();
        sql.exec("INSERT INTO spin.spins (spin_id, user_id, pool, created_at) VALUES (?, 'alice', 'lobby', now())", orphan);
        assertThat(sql.violations()).extracting(r -> r.get("kind")).contains("waiting_and_matched", "open_spin_not_waiting");
        assertThat(repairs()).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("kind", "orphan_open_spin").containsEntry("spin_id", orphan).containsEntry("user_id", "alice"));
        assertThat(sql.text("SELECT outcome FROM spin.spins WHERE spin_id = ?", orphan)).isEqualTo("expired");
        assertThat(events("spin_expired", "alice")).isEqualTo(1);
        assertThat(sql.value("SELECT active FROM spin.matches WHERE match_id = ?", match)).isEqualTo(true);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void userWaitingInAnotherPoolThanTheirSpinIsMovedToTheSpinsPool() {
        sql.join("carol", "games", spin());
        sql.exec("UPDATE spin.users SET pool = 'lobby' WHERE user_id = 'carol'");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("user_state_mismatch");
        assertThat(repairs()).extracting(r -> r.get("kind")).containsExactly("user_pool_mismatch");
        assertThat(sql.text("SELECT pool FROM spin.users WHERE user_id = 'carol'")).isEqualTo("games");
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void matchMissingFromTheCooldownIsRecorded() {
        sql.exec("DELETE FROM spin.recent_pairs");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("cooldown_not_recorded");
        assertThat(repairs()).extracting(r -> r.get("kind")).containsExactly("cooldown_not_recorded");
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void strandedPairIsMatchedAfterTheGrace() throws Exception {
        sql.join("carol", "lobby", spin());
        sql.join("dave", "lobby", spin());
        assertThat(sql.rows("SELECT * FROM spin.repairs(interval '1 hour')")).isEmpty();
        assertThat(sql.rows("SELECT * FROM spin.repairs(interval '0')")).extracting(r -> r.get("kind"))
                .containsExactly("stranded", "stranded");
        assertThat(events("match_created", "carol")).isEqualTo(1);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void healthyStateNeedsNoRepairAndRepairIsRepeatable() {
        sql.join("carol", "lobby", spin());
        assertThat(repairs()).isEmpty();
        assertThat(sql.rows("SELECT * FROM spin.repair_state()")).extracting(r -> r.get("repaired")).containsOnly(0);
    }

    @Test
    void repairSkipsWhatAnotherTransactionHoldsTheLockOf() throws Exception {
        sql.exec("SET session_replication_role = replica");
        sql.exec("UPDATE spin.users SET state = 'idle', match_id = NULL WHERE user_id = 'alice'");
        sql.exec("SET session_replication_role = origin");
        try (Sql other = newSession()) {
            other.connection.setAutoCommit(false);
            other.exec("SELECT pg_advisory_xact_lock(spin.lock_key('bob'))");
            assertThat(repairs()).isEmpty();
            other.connection.rollback();
        }
        assertThat(repairs()).extracting(r -> r.get("kind")).containsExactly("broken_match");
    }
}
