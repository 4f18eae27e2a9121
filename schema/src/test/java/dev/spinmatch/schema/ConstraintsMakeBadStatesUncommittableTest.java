package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes that bypass the functions: PostgreSQL itself must refuse the states DESIGN.md forbids. */
class ConstraintsMakeBadStatesUncommittableTest extends SpinDatabase {
    private Object match;

    @BeforeEach
    void aliceMatchedWithBobCarolWaiting() {
        match = matchAliceWithBob();
        sql.join("carol", "lobby", spin());
    }

    private void assertRefused(String statement, Object... args) {
        Sql.SqlFailure failure = catchThrowableOfType(Sql.SqlFailure.class, () -> sql.exec(statement, args));
        assertThat(failure).as("PostgreSQL accepted: " + statement).isNotNull();
        assertThat(failure.sqlState).startsWith("23");
    }

    @Test
    void userInTwoActiveMatchesIsRefused() {
        sql.exec("INSERT INTO spin.matches (match_id, pool, user_a, user_b, created_at) VALUES (gen_random_uuid(), 'lobby', 'alice', 'carol', now())");
        assertRefused("INSERT INTO spin.match_members (match_id, user_id, active) SELECT match_id, 'alice', true FROM spin.matches WHERE user_b = 'carol'");
    }

    @Test
    void samePairActiveTwiceIsRefused() {
        assertRefused("INSERT INTO spin.matches (match_id, pool, user_a, user_b, created_at) VALUES (gen_random_uuid(), 'lobby', 'alice', 'bob', now())");
    }

    @Test
    void userMatchedWithThemselvesIsRefused() {
        assertRefused("INSERT INTO spin.matches (match_id, pool, user_a, user_b, created_at) VALUES (gen_random_uuid(), 'lobby', 'carol', 'carol', now())");
    }

    @Test
    void secondOpenSpinOfAUserIsRefused() {
        assertRefused("INSERT INTO spin.spins (spin_id, user_id, pool, created_at) VALUES (gen_random_uuid(), 'carol', 'lobby', now())");
    }

    @Test
    void sameSpinAppliedTwiceIsRefused() {
        assertRefused("INSERT INTO spin.spins (spin_id, user_id, pool, created_at) SELECT spin_id, user_id, pool, now() FROM spin.spins WHERE user_id = 'alice'");
    }

    @Test
    void waitingWithoutAnOpenSpinIsRefused() {
        assertRefused("UPDATE spin.users SET state = 'waiting', spin_id = (SELECT spin_id FROM spin.spins WHERE user_id = 'alice'),"
                + " match_id = NULL, queue_seq = 1, waiting_since = now() WHERE user_id = 'alice'");
    }

    @Test
    void matchedUserWithoutAnActiveMembershipIsRefused() {
        assertRefused("UPDATE spin.users SET state = 'matched', spin_id = NULL, match_id = ? WHERE user_id = 'carol'", match);
    }

    @Test
    void waitingAndMatchedAtOnceIsRefused() {
        assertRefused("UPDATE spin.users SET spin_id = (SELECT spin_id FROM spin.spins WHERE user_id = 'alice') WHERE user_id = 'alice'");
    }

    @Test
    void endingAMatchWhileItsUsersStillPointAtItIsRefused() {
        assertRefused("UPDATE spin.matches SET active = false, ended_at = now(), end_reason = 'x' WHERE match_id = ?", match);
    }

    @Test
    void spinOutcomeOutsideTheCatalogueIsRefused() {
        assertRefused("UPDATE spin.spins SET outcome = 'lost', closed_at = now() WHERE user_id = 'carol'");
    }
}
