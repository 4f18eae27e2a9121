package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BadInputIsRejectedAndChangesNothingTest extends SpinDatabase {

    @ParameterizedTest(name = "join_queue({0}, {1}) fails naming {2}")
    @CsvSource(nullValues = "NULL", value = {
            "NULL, lobby, p_user_id",
            "'', lobby, p_user_id",
            "alice, NULL, p_pool",
            "alice, Lobby, p_pool",
            "alice, -lobby, p_pool",
            "alice, 'lob by', p_pool",
    })
    void joinWithBadArgumentRaisesInvalidParameterValue(String user, String pool, String argument) {
        assertRejected("SELECT spin.join_queue(?, ?, ?)", argument, user, pool, spin());
    }

    @Test
    void joinWithTooLongUserIdIsRejected() {
        assertRejected("SELECT spin.join_queue(?, ?, ?)", "p_user_id", "u".repeat(129), "lobby", spin());
    }

    @Test
    void joinWithoutSpinIdIsRejected() {
        assertRejected("SELECT spin.join_queue(?, ?, ?)", "p_spin_id", "alice", "lobby", null);
    }

    @Test
    void spinIdOfAnotherUserIsRejected() {
        UUID shared = spin();
        sql.join("alice", "lobby", shared);
        assertRejected("SELECT spin.join_queue(?, ?, ?)", "p_spin_id", "bob", "lobby", shared);
    }

    @Test
    void leaveAndEndWithBadArgumentsAreRejected() {
        assertRejected("SELECT spin.leave_queue(?, ?)", "p_user_id", "", spin());
        assertRejected("SELECT spin.leave_queue(?, ?)", "p_spin_id", "alice", null);
        assertRejected("SELECT spin.end_match(?, ?)", "p_match_id", null, "alice");
        assertRejected("SELECT spin.end_match(?, ?, ?)", "p_reason", UUID.randomUUID(), "alice", "Bad Reason");
    }

    @Test
    void applyBatchRejectsANonArray() {
        assertRejected("SELECT * FROM spin.apply_batch(?::jsonb)", "p_events", "{\"type\":\"join_queue\"}");
    }

    private void assertRejected(String call, String argument, Object... args) {
        sql.join("zed", "lobby", spin());
        String before = sql.snapshot();
        Sql.SqlFailure failure = catchThrowableOfType(Sql.SqlFailure.class, () -> sql.exec(call, args));
        assertThat(failure).as("expected an error").isNotNull();
        assertThat(failure.sqlState).isEqualTo("22023");
        assertThat(failure.getMessage()).contains(argument);
        assertThat(sql.snapshot()).isEqualTo(before);
    }
}
