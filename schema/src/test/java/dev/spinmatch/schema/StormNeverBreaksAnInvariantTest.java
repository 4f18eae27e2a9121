package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's three failures (duplicate pairs, zero matches, inconsistent state) under a storm of
 * 16 concurrent callers: 50,000 randomized events from 2,000 users in 5 pools.
 */
class StormNeverBreaksAnInvariantTest extends SpinDatabase {
    static final int THREADS = 16;
    static final int OPERATIONS = 50_000;
    static final int USERS = 2_000;
    static final int POOLS = 5;
    static final int MAX_BATCH = 6;

    static Supplier<Connection> connections(dev.spinmatch.embedded.TestDatabases.TestDatabase db) {
        return () -> {
            try {
                return db.connect();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void noDuplicatePairsNoDoubleBookingNoStrandedUsers(long seed) throws Exception {
        Storm.Report report = new Storm(new Storm.Config(seed, THREADS, OPERATIONS, USERS, POOLS, MAX_BATCH), connections(db)).run();
        System.out.println("storm seed " + seed + ": " + report);

        assertThat(report.errors()).as("SQL errors (deadlocks, constraint violations)").isEmpty();
        assertThat(report.events()).isEqualTo(OPERATIONS);
        assertThat(report.matchedRows()).as("the storm must actually match users").isGreaterThan(OPERATIONS / 10);
        assertThat(sql.rows("SELECT * FROM spin.invariant_violations(interval '1 hour')")).as("safety").isEmpty();

        Storm.settle(sql);
        assertThat(sql.violations()).as("safety and no stranded users at quiescence").isEmpty();
    }
}
