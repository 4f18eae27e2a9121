package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * spin.prune_history deletes finished history older than the retention (7 days by default): closed
 * spins, ended matches with their spins, event results and repair records. It must never take live state
 * with it (open spins, active matches, a match whose cooldown still runs), never leave a dangling
 * reference, never prune what the relay has not announced, and never wait for another pruner.
 */
class PruningOldHistoryLeavesLiveStateAloneTest extends SpinDatabase {

    /** Moves every row written so far eight days into the past, beyond the default retention. */
    private void eightDaysPass() throws SQLException {
        HistoryClock.back(sql.connection, 8);
    }

    private Map<String, Integer> prune(Object... args) {
        String call = args.length == 0 ? "spin.prune_history()" : "spin.prune_history(?, ?::interval)";
        Map<String, Integer> pruned = new HashMap<>();
        sql.rows("SELECT * FROM " + call, args).forEach(r -> pruned.put((String) r.get("kind"), (Integer) r.get("pruned")));
        return pruned;
    }

    /** The relay announced everything committed so far. */
    private void relayed() {
        sql.exec("UPDATE spin.relay_cursor SET next_xid = spin.relay_horizon()");
    }

    private Object matchAndEnd(String a, String b) {
        sql.join(a, "lobby", spin());
        sql.join(b, "lobby", spin());
        Object match = sql.match(a).get(0).get("match_id");
        sql.exec("SELECT spin.end_match(?)", match);
        return match;
    }

    @Test
    void oldFinishedHistoryGoesAndLiveStateStays() throws Exception {
        Object ended = matchAndEnd("alice", "bob");
        sql.join("carol", "lobby", spin());
        sql.join("dave", "lobby", spin());
        Object active = sql.match("carol").get(0).get("match_id");
        sql.join("erin", "other", spin());
        sql.rows("SELECT * FROM spin.apply_batch(?::jsonb)", Events.array(java.util.List.of(Events.end("mallory", ended))));
        sql.exec("INSERT INTO spin.repair_log (kind, detail) VALUES ('stranded', 'old')");
        eightDaysPass();
        Object recent = matchAndEnd("frank", "grace");
        relayed();

        assertThat(prune()).containsEntry("spins", 2).containsEntry("matches", 1)
                .containsEntry("event_results", 1).containsEntry("repair_log", 1);

        assertThat(sql.count("SELECT count(*) FROM spin.matches WHERE match_id = ?", ended)).isZero();
        assertThat(sql.count("SELECT count(*) FROM spin.spins WHERE match_id = ?", ended)).isZero();
        assertThat(sql.state("carol")).isEqualTo("matched");
        assertThat(sql.count("SELECT count(*) FROM spin.spins WHERE user_id = 'erin' AND outcome IS NULL")).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM spin.spins WHERE match_id = ?", recent)).isEqualTo(2);
        assertThat(sql.count("SELECT count(*) FROM spin.spins WHERE match_id = ?", active)).as("an active match keeps its spins").isEqualTo(2);
        assertThat(sql.violations()).isEmpty();
        assertThat(prune()).containsOnlyKeys("spins", "matches", "event_results", "repair_log").allSatisfy((k, n) -> assertThat(n).isZero());
    }

    @Test
    void aPairMatchedAgainKeepsTheCooldownOfItsNewMatch() throws Exception {
        matchAndEnd("alice", "bob");
        eightDaysPass();
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        assertThat(sql.match("alice")).extracting(r -> r.get("result")).containsExactly("matched");
        relayed();

        assertThat(prune()).containsEntry("matches", 1);
        assertThat(sql.count("SELECT count(*) FROM spin.cooling_pairs()")).isEqualTo(1);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void historyTheRelayHasNotAnnouncedIsKept() throws Exception {
        matchAndEnd("alice", "bob");
        eightDaysPass();
        assertThat(prune()).containsEntry("matches", 0).containsEntry("spins", 0);
        relayed();
        assertThat(prune()).containsEntry("matches", 1).containsEntry("spins", 2);
    }

    @Test
    void roundsOfALimitEndWithEverythingOldGoneAndNoRoundOverItsLimit() throws Exception {
        for (int i = 0; i < 7; i++) {
            matchAndEnd("a" + i, "b" + i);
        }
        for (int i = 0; i < 5; i++) {
            UUID spin = spin();
            sql.join("c" + i, "pool" + i, spin);
            sql.exec("SELECT spin.leave_queue(?, ?)", "c" + i, spin);
        }
        eightDaysPass();
        relayed();

        int spins = 0;
        int matches = 0;
        for (int round = 0; round < 20; round++) {
            Map<String, Integer> pruned = prune(3, "7 days");
            assertThat(pruned.get("matches")).isLessThanOrEqualTo(3);
            assertThat(pruned.get("spins")).as("3 never matched, 2 per match").isLessThanOrEqualTo(3 + 2 * 3);
            assertThat(sql.violations()).isEmpty();
            spins += pruned.get("spins");
            matches += pruned.get("matches");
            if (pruned.values().stream().allMatch(n -> n == 0)) {
                break;
            }
        }
        assertThat(spins).isEqualTo(14 + 5);
        assertThat(matches).isEqualTo(7);
        assertThat(sql.count("SELECT count(*) FROM spin.spins") + sql.count("SELECT count(*) FROM spin.matches")).isZero();
    }

    @Test
    void aSecondPrunerSkipsWhatTheFirstHoldsInsteadOfWaiting() throws Exception {
        matchAndEnd("alice", "bob");
        eightDaysPass();
        relayed();
        try (Sql first = newSession()) {
            first.connection.setAutoCommit(false);
            first.rows("SELECT * FROM spin.prune_history()");
            sql.exec("SET lock_timeout = '2s'");
            Map<String, Integer> meanwhile = prune();
            first.connection.commit();
            assertThat(meanwhile.values()).as("rows the first pruner holds are skipped").allSatisfy(n -> assertThat(n).isZero());
        }
        assertThat(sql.count("SELECT count(*) FROM spin.matches")).isZero();
    }

    @Test
    void aRetentionShorterThanTheCooldownIsRefusedAndChangesNothing() throws Exception {
        matchAndEnd("alice", "bob");
        eightDaysPass();
        String before = sql.snapshot();

        assertThatThrownBy(() -> prune(100, "1 minute")).isInstanceOf(Sql.SqlFailure.class)
                .hasMessageContaining("p_keep").extracting(e -> ((Sql.SqlFailure) e).sqlState).isEqualTo("22023");
        assertThatThrownBy(() -> prune(0, "7 days")).hasMessageContaining("p_limit");
        assertThatThrownBy(() -> sql.exec("UPDATE spin.settings SET history_retention = interval '1 minute'"))
                .hasMessageContaining("settings_retention_covers_cooldown");
        assertThat(sql.snapshot()).isEqualTo(before);
    }
}
