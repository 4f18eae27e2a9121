package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * invariant_violations() must see each kind of bad state. Where a constraint would refuse the state,
 * this test's private database drops that constraint first: the checker must not rely on them.
 */
class CheckerFindsWhatConstraintsCannotExcludeTest extends SpinDatabase {
    private Object match;

    @BeforeEach
    void aliceMatchedWithBobCarolWaiting() {
        match = matchAliceWithBob();
        sql.join("carol", "lobby", spin());
        assertThat(sql.violations()).isEmpty();
    }

    private void assertFound(String kind) {
        assertThat(sql.violations()).extracting(r -> r.get("kind")).contains(kind);
    }

    private void dropConstraints() {
        sql.exec("ALTER TABLE spin.matches DROP CONSTRAINT matches_distinct_ordered_users");
        sql.exec("DROP INDEX spin.spins_one_live_per_user, spin.matches_one_active_per_pair");
    }

    /** A second active match of alice with carol, with both spins, bypassing the functions. */
    private void aliceAlsoMatchedWithCarol(String createdAt) {
        sql.exec("WITH m AS (SELECT gen_random_uuid() AS id, gen_random_uuid() AS a, (SELECT spin_id FROM spin.spins WHERE user_id = 'carol') AS c),"
                + " s AS (INSERT INTO spin.spins (spin_id, user_id, pool, seq, created_at, outcome, match_id) SELECT a, 'alice', 'lobby', 1, now(), 'matched', id FROM m),"
                + " u AS (UPDATE spin.spins SET outcome = 'matched', match_id = (SELECT id FROM m) WHERE spin_id = (SELECT c FROM m))"
                + " INSERT INTO spin.matches (match_id, pool, user_a, user_b, spin_a, spin_b, created_at, xid)"
                + " SELECT id, 'lobby', 'alice', 'carol', a, c, " + createdAt + ", spin.xid() FROM m");
    }

    @Test
    void userInTwoActiveMatches() {
        dropConstraints();
        aliceAlsoMatchedWithCarol("now() + interval '1 second'");
        assertFound("user_in_two_active_matches");
        assertFound("overlapping_matches");
        assertFound("multiple_live_spins");
    }

    @Test
    void waitingWhileMatched() {
        dropConstraints();
        sql.exec("INSERT INTO spin.spins (spin_id, user_id, pool, seq, created_at) VALUES (gen_random_uuid(), 'alice', 'lobby', 1, now())");
        assertFound("waiting_and_matched");
        assertFound("multiple_live_spins");
    }

    @Test
    void samePairActiveTwiceAndRematchedWithinCooldown() {
        dropConstraints();
        sql.exec("INSERT INTO spin.matches (match_id, pool, user_a, user_b, spin_a, spin_b, created_at, xid)"
                + " SELECT gen_random_uuid(), 'lobby', 'alice', 'bob', gen_random_uuid(), gen_random_uuid(), now() + interval '1 second', spin.xid()");
        assertFound("pair_active_twice");
        assertFound("rematch_within_cooldown");
        assertFound("match_spins_mismatch");
    }

    @Test
    void selfMatch() {
        dropConstraints();
        sql.exec("INSERT INTO spin.matches (match_id, pool, user_a, user_b, spin_a, spin_b, created_at, xid, ended_at, end_reason, ended_xid)"
                + " SELECT gen_random_uuid(), 'lobby', 'carol', 'carol', gen_random_uuid(), gen_random_uuid(), now(), spin.xid(), now(), 'x', spin.xid()");
        assertFound("self_match");
    }

    @Test
    void matchAcrossPools() {
        sql.exec("UPDATE spin.spins SET pool = 'games' WHERE user_id = 'bob'");
        assertFound("match_spins_mismatch");
    }

    @Test
    void activeMatchWhoseSpinWasReleased() {
        sql.exec("UPDATE spin.spins SET live = NULL WHERE user_id = 'bob'");
        assertFound("match_spins_mismatch");
    }

    @Test
    void endedMatchWhoseSpinStaysLive() {
        sql.exec("UPDATE spin.matches SET ended_at = now(), end_reason = 'x', ended_xid = spin.xid() WHERE match_id = ?", match);
        sql.exec("UPDATE spin.spins SET live = NULL WHERE user_id = 'bob'");
        assertFound("match_spins_mismatch");
    }

    @Test
    void spinMatchedIntoAMatchThatDoesNotNameIt() {
        sql.exec("UPDATE spin.spins SET outcome = 'matched', match_id = ? WHERE user_id = 'carol'", match);
        assertFound("spin_matched_outside_match");
    }

    @Test
    void strandedPairOfWaitingUsers() {
        sql.join("dave", "lobby", spin());
        assertFound("stranded");
    }
}
