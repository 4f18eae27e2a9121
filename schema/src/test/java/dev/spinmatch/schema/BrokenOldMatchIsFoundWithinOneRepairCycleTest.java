package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A repair run checks one slice of the active matches (settings.repair_slice), walking them in
 * (user_a, user_b) order from where the last run stopped and wrapping around: a broken match is found
 * within one cycle of ceil(active / slice) runs wherever the walk stands, and no run looks past its
 * slice. 25 healthy matches (u00+u01, u02+u03, ..., u48+u49, in key order), slices of 10: a cycle is 3 runs.
 */
class BrokenOldMatchIsFoundWithinOneRepairCycleTest extends SpinDatabase {
    private static final int MATCHES = 25;
    private static final int SLICE = 10;
    private static final int CYCLE = 3;

    @BeforeEach
    void manyHealthyMatchesAndTheWalkHalfWayThrough() {
        for (int i = 0; i < MATCHES; i++) {
            sql.join(user(2 * i), "lobby", spin());
            sql.join(user(2 * i + 1), "lobby", spin());
            sql.match(user(2 * i));
        }
        sql.exec("UPDATE spin.settings SET repair_slice = ?", SLICE);
        assertThat(sql.rows("SELECT * FROM spin.repairs()")).isEmpty();
        assertThat(sql.text("SELECT after_a FROM spin.repair_cursors WHERE walk = 'active_matches'")).isEqualTo(user(18));
    }

    private static String user(int i) {
        return String.format("u%02d", i);
    }

    /** Repairs per run, over one cycle, of the given kind. */
    private List<Long> oneCycle(String kind) {
        List<Long> perRun = new ArrayList<>();
        for (int run = 0; run < CYCLE; run++) {
            perRun.add(sql.rows("SELECT * FROM spin.repairs()").stream().filter(r -> kind.equals(r.get("kind"))).count());
        }
        return perRun;
    }

    @Test
    void theOldestMatchBehindTheWalkIsEndedWhenTheWalkWrapsAround() {
        Object oldest = sql.value("SELECT match_id FROM spin.matches WHERE user_a = 'u00'");
        sql.exec("UPDATE spin.spins SET live = NULL WHERE user_id = 'u00'");

        // run 1 checks u20..u39; run 2 u40..u49 and, wrapped, u00..u09; run 3 u10..u29
        assertThat(oneCycle("broken_match")).containsExactly(0L, 1L, 0L);
        assertThat(sql.text("SELECT end_reason FROM spin.matches WHERE match_id = ?", oldest)).isEqualTo("repair");
        assertThat(sql.value("SELECT wrapped_at IS NOT NULL FROM spin.repair_cursors WHERE walk = 'active_matches'"))
                .isEqualTo(true);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void everyRunChecksItsSliceOnlyAndOneCycleChecksEveryMatch() {
        sql.exec("UPDATE spin.spins SET pool = 'games'");
        assertThat(sql.violations()).hasSize(2 * MATCHES);

        assertThat(oneCycle("broken_match")).containsExactly(10L, 10L, 5L);
        assertThat(sql.rows("SELECT * FROM spin.matches WHERE ended_at IS NULL")).isEmpty();
    }

    @Test
    void aRunDoesNotWaitForTheWalkOfARepairRunningElsewhere() throws Exception {
        sql.exec("UPDATE spin.spins SET pool = 'games'");
        try (Sql other = newSession()) {
            other.connection.setAutoCommit(false);
            other.exec("SELECT * FROM spin.repairs()");
            sql.exec("SET lock_timeout = '2s'");
            List<Map<String, Object>> meanwhile = sql.rows("SELECT * FROM spin.repairs()");
            other.connection.commit();
            assertThat(meanwhile).as("the walk is skipped while the other run holds its cursor").isEmpty();
        }
        assertThat(sql.rows("SELECT * FROM spin.repairs()")).hasSize(SLICE);
    }
}
