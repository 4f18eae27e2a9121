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

    /** {@code sqlState}: 23505 (a unique index refused it) or 23514 (a CHECK did). */
    private void assertRefused(String sqlState, String statement, Object... args) {
        Sql.SqlFailure failure = catchThrowableOfType(Sql.SqlFailure.class, () -> sql.exec(statement, args));
        assertThat(failure).as("PostgreSQL accepted: " + statement).isNotNull();
        assertThat(failure.sqlState).as(failure.getMessage()).isEqualTo(sqlState);
    }

    /** A live spin of {@code user} matched into a new match with carol, bypassing the functions. */
    private static String secondMatchOf(String user) {
        return "WITH m AS (SELECT gen_random_uuid() AS id, gen_random_uuid() AS spin)"
                + " INSERT INTO spin.spins (spin_id, user_id, pool, seq, created_at, outcome, match_id)"
                + " SELECT m.spin, '" + user + "', 'lobby', 1, now(), 'matched', m.id FROM m";
    }

    @Test
    void userInTwoActiveMatchesIsRefused() {
        assertRefused("23505", secondMatchOf("alice"));
    }

    @Test
    void samePairActiveTwiceIsRefused() {
        assertRefused("23505", "INSERT INTO spin.matches (match_id, pool, user_a, user_b, spin_a, spin_b, created_at, xid)"
                + " SELECT gen_random_uuid(), 'lobby', 'alice', 'bob', gen_random_uuid(), gen_random_uuid(), now(), spin.xid()");
    }

    @Test
    void userMatchedWithThemselvesIsRefused() {
        assertRefused("23514", "INSERT INTO spin.matches (match_id, pool, user_a, user_b, spin_a, spin_b, created_at, xid)"
                + " SELECT gen_random_uuid(), 'lobby', 'carol', 'carol', gen_random_uuid(), gen_random_uuid(), now(), spin.xid()");
    }

    @Test
    void secondOpenSpinOfAUserIsRefused() {
        assertRefused("23505", "INSERT INTO spin.spins (spin_id, user_id, pool, seq, created_at) VALUES (gen_random_uuid(), 'carol', 'lobby', 1, now())");
    }

    @Test
    void waitingAndMatchedAtOnceIsRefused() {
        assertRefused("23505", "INSERT INTO spin.spins (spin_id, user_id, pool, seq, created_at) VALUES (gen_random_uuid(), 'alice', 'lobby', 1, now())");
    }

    @Test
    void sameSpinAppliedTwiceIsRefused() {
        assertRefused("23505", "INSERT INTO spin.spins (spin_id, user_id, pool, seq, created_at, outcome, match_id, live)"
                + " SELECT spin_id, 'zoe', pool, seq, created_at, outcome, match_id, NULL FROM spin.spins WHERE user_id = 'alice'");
    }

    @Test
    void waitingSpinThatIsNotLiveIsRefused() {
        assertRefused("23514", "UPDATE spin.spins SET live = NULL WHERE user_id = 'carol'");
    }

    @Test
    void cancelledSpinThatStaysLiveIsRefused() {
        assertRefused("23514", "UPDATE spin.spins SET outcome = 'cancelled', closed_at = now() WHERE user_id = 'carol'");
    }

    @Test
    void matchedSpinWithoutItsMatchIsRefused() {
        assertRefused("23514", "UPDATE spin.spins SET outcome = 'matched' WHERE user_id = 'carol'");
    }

    @Test
    void halfRecordedEndIsRefused() {
        assertRefused("23514", "UPDATE spin.matches SET ended_at = now() WHERE match_id = ?", match);
    }

    @Test
    void spinOutcomeOutsideTheCatalogueIsRefused() {
        assertRefused("23514", "UPDATE spin.spins SET outcome = 'lost', closed_at = now(), live = NULL WHERE user_id = 'carol'");
    }
}
