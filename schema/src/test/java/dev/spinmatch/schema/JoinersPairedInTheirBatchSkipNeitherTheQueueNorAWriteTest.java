package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * apply_batch pairs a batch's idle joiners before writing them (spin._pair_joiners). Two failures it must not
 * have: pairing two newcomers while an older user of the pool waits (queue order broken), and writing the pair
 * as queued first and then updating it (the cost pairing before writing exists to save).
 */
class JoinersPairedInTheirBatchSkipNeitherTheQueueNorAWriteTest extends SpinDatabase {

    @Test
    void aUserAlreadyWaitingIsPairedBeforeTwoNewcomersPairEachOther() {
        sql.join("walter", "lobby", spin());

        sql.rows("SELECT * FROM spin.apply_batch(?::jsonb)",
                Events.array(List.of(Events.join("anna", "lobby", spin()), Events.join("bert", "lobby", spin()))));

        assertThat(sql.partnerOf("walter")).isEqualTo("anna");
        assertThat(sql.state("bert")).isEqualTo("waiting");
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void newcomersPairedInTheirBatchAreInsertedMatchedNeverUpdated() {
        sql.exec("BEGIN");
        List<Map<String, Object>> rows = sql.rows("SELECT * FROM spin.apply_batch(?::jsonb)",
                Events.array(List.of(Events.join("anna", "lobby", spin()), Events.join("bert", "lobby", spin()))));
        List<Map<String, Object>> writes = sql.rows("SELECT relname, n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables"
                + " WHERE schemaname = 'spin' AND relname IN ('matches', 'spins') ORDER BY relname");
        sql.exec("COMMIT");

        assertThat(rows).filteredOn(r -> "matched".equals(r.get("result"))).hasSize(2);
        assertThat(writes).extracting(r -> r.get("relname") + " +" + r.get("n_tup_ins") + " ~" + r.get("n_tup_upd"))
                .containsExactly("matches +1 ~0", "spins +2 ~0");
        assertThat(sql.partnerOf("anna")).isEqualTo("bert");
        assertThat(sql.violations()).isEmpty();
    }
}
