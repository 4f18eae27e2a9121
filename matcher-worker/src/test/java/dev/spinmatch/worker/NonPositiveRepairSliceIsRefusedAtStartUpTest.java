package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spinmatch.common.Settings;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A repair slice of zero or less is refused when the worker reads its options, naming the key, instead of
 * failing every repair run later in the database.
 */
class NonPositiveRepairSliceIsRefusedAtStartUpTest {

    @Test
    void zeroAndNegativeSlicesAreRefusedNamingTheKey() {
        for (String slice : new String[] {"0", "-5"}) {
            assertThatThrownBy(() -> WorkerOptions.from(slice(slice)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("worker.repair.slice")
                    .hasMessageContaining("SPINMATCH_WORKER_REPAIR_SLICE")
                    .hasMessageContaining("must be > 0");
        }
    }

    @Test
    void aPositiveSliceIsKeptAndNoneLeavesItToTheDatabase() {
        assertThat(WorkerOptions.from(slice("1")).repairSlice()).hasValue(1);
        assertThat(WorkerOptions.from(new Settings(Map.of(), new Properties())).repairSlice()).isEqualTo(Optional.empty());
    }

    private static Settings slice(String value) {
        return new Settings(Map.of("SPINMATCH_WORKER_REPAIR_SLICE", value), new Properties());
    }
}
