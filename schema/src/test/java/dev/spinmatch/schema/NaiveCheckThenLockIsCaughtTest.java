package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Proves the storm and the checker can fail: the same storm as StormNeverBreaksAnInvariantTest,
 * run against the seed's "check, then lock" matching (test resource naive/check_then_lock.sql, in
 * this test's own database, with the unique indexes that would refuse double bookings dropped so
 * the bad state can commit), must leave duplicate or double-booked matches that
 * spin.invariant_violations() reports. The constraints alone would stop it; this is about the
 * checker seeing it when they are absent.
 */
class NaiveCheckThenLockIsCaughtTest extends SpinDatabase {

    @Test
    void checkThenLockProducesDoubleBookedMatchesThatTheCheckerFinds() throws Exception {
        sql.exec(resource("/naive/check_then_lock.sql"));
        // The naive path deadlocks often (unordered row locks); detect those in 20 ms, not 1 s.
        sql.exec("ALTER DATABASE " + db.name() + " SET deadlock_timeout = '20ms'");
        Storm.Report report = new Storm(new Storm.Config(1, StormNeverBreaksAnInvariantTest.THREADS,
                StormNeverBreaksAnInvariantTest.OPERATIONS, StormNeverBreaksAnInvariantTest.USERS,
                StormNeverBreaksAnInvariantTest.POOLS, StormNeverBreaksAnInvariantTest.MAX_BATCH),
                StormNeverBreaksAnInvariantTest.connections(db)).run();
        System.out.println("naive storm: " + report);

        assertThat(sql.rows("SELECT DISTINCT kind FROM spin.invariant_violations(interval '1 hour')"))
                .extracting(r -> r.get("kind"))
                .containsAnyOf("user_in_two_active_matches", "overlapping_matches", "pair_active_twice");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NaiveCheckThenLockIsCaughtTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
