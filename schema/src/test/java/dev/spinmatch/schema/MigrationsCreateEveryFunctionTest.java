package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.embedded.TestDatabases.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationsCreateEveryFunctionTest {
    @Test
    void aFreshDatabaseHasTheWholeContractAndNoViolations() throws Exception {
        try (TestDatabase db = SpinDatabase.create(); Connection c = db.connect()) {
            List<String> functions = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'spin'")) {
                while (rs.next()) {
                    functions.add(rs.getString(1));
                }
            }
            assertThat(functions).contains("join_queue", "leave_queue", "end_match", "process_matching",
                    "create_match_atomic", "apply_batch", "invariant_violations", "expire_spins", "repair_state", "lock_key");
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM spin.invariant_violations(interval '0')")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }
}
