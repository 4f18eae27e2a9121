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
        sql.exec("ALTER TABLE spin.users DROP CONSTRAINT users_open_spin_fk, DROP CONSTRAINT users_active_match_fk,"
                + " DROP CONSTRAINT users_waiting_has_spin, DROP CONSTRAINT users_matched_has_match");
        sql.exec("ALTER TABLE spin.matches DROP CONSTRAINT matches_distinct_ordered_users");
        sql.exec("DROP INDEX spin.members_one_active_per_user, spin.matches_one_active_per_pair, spin.spins_one_open_per_user");
    }

    @Test
    void userInTwoActiveMatches() {
        dropConstraints();
        sql.exec("INSERT INTO spin.matches (match_id, pool, user_a, user_b, created_at) VALUES (gen_random_uuid(), 'lobby', 'alice', 'carol', now())");
        assertFound("user_in_two_active_matches");
    }

    @Test
    void twoOpenSpinsAndWaitingWhileMatched() {
        dropConstraints();
        sql.exec("INSERT INTO spin.spins (spin_id, user_id, pool, created_at) VALUES (gen_random_uuid(), 'carol', 'lobby', now()),"
                + " (gen_random_uuid(), 'alice', 'lobby', now())");
        assertFound("multiple_open_spins");
        assertFound("waiting_and_matched");
        assertFound("open_spin_not_waiting");
    }

    @Test
    void samePairActiveTwiceAndRematchedWithinCooldown() {
        dropConstraints();
        sql.exec("INSERT INTO spin.matches (match_id, pool, user_a, user_b, created_at) VALUES (gen_random_uuid(), 'lobby', 'alice', 'bob', now() + interval '1 second')");
        assertFound("pair_active_twice");
        assertFound("rematch_within_cooldown");
        assertFound("cooldown_not_recorded");
    }

    @Test
    void selfMatchAndWrongMembers() {
        dropConstraints();
        sql.exec("INSERT INTO spin.match_members (match_id, user_id, active) VALUES (?, 'carol', true)", match);
        sql.exec("INSERT INTO spin.matches (match_id, pool, user_a, user_b, created_at) VALUES (gen_random_uuid(), 'lobby', 'carol', 'carol', now())");
        assertFound("match_members_mismatch");
        assertFound("self_match");
    }

    @Test
    void matchWithoutItsTwoMatchedSpinsOrAcrossPools() {
        sql.exec("UPDATE spin.spins SET pool = 'games' WHERE user_id = 'bob'");
        assertFound("match_spins_mismatch");
    }

    @Test
    void userRowsThatDisagreeWithSpinsAndMatches() {
        dropConstraints();
        sql.exec("UPDATE spin.users SET state = 'idle', match_id = NULL WHERE user_id = 'bob'");
        sql.exec("UPDATE spin.users SET state = 'matched' WHERE user_id = 'carol'");
        assertFound("active_match_not_in_user_row");
        assertFound("user_state_mismatch");
    }

    @Test
    void strandedPairOfWaitingUsers() {
        sql.join("dave", "lobby", spin());
        assertFound("stranded");
    }
}
