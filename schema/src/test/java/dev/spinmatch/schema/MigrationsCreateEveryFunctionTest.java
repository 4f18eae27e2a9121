package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrationsCreateEveryFunctionTest extends SpinDatabase {
    @Test
    void aFreshDatabaseHasTheWholeContractAndNoViolations() {
        assertThat(sql.rows("SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'spin'"))
                .extracting(r -> r.get("proname"))
                .contains("join_queue", "leave_queue", "end_match", "process_matching", "create_match_atomic",
                        "apply_batch", "invariant_violations", "expire_spins", "repair_state", "lock_key");
        assertThat(sql.violations()).isEmpty();
    }
}
