package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StaleAndBrokenStateIsRepairedTest extends SpinDatabase {

    private Map<Object, Object> repair() {
        return sql.rows("SELECT * FROM spin.repair_state()").stream()
                .collect(Collectors.toMap(r -> r.get("kind"), r -> r.get("repaired")));
    }

    @Test
    void staleSpinsExpireAfterTheTimeoutWithAnEvent() throws Exception {
        sql.exec("UPDATE spin.settings SET spin_timeout = interval '1 millisecond'");
        UUID s = spin();
        sql.join("alice", "lobby", s);
        Thread.sleep(20);
        assertThat(sql.value("SELECT spin.expire_spins()")).isEqualTo(1);
        assertThat(sql.text("SELECT outcome FROM spin.spins WHERE spin_id = ?", s)).isEqualTo("expired");
        assertThat(sql.announcements()).extracting(r -> r.get("type"), r -> r.get("spin_id"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spin_expired", s));
        assertThat(sql.value("SELECT spin.expire_spins()")).isEqualTo(0);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void freshSpinsDoNotExpire() {
        sql.join("alice", "lobby", spin());
        assertThat(sql.value("SELECT spin.expire_spins()")).isEqualTo(0);
    }

    @Test
    void healthyStateNeedsNoRepair() {
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        sql.match("alice");
        Map<Object, Object> counts = repair();
        assertThat(counts).containsOnlyKeys("orphan_live_spin", "broken_match", "stranded");
        assertThat(counts.values()).containsOnly(0);
    }

    @Test
    void activeMatchAUserLeftIsEndedAndThePartnerReleased() {
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        Object match = sql.match("alice").get(0).get("match_id");
        sql.exec("UPDATE spin.spins SET live = NULL WHERE user_id = 'alice'");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("match_spins_mismatch");
        assertThat(repair()).containsEntry("broken_match", 1);
        assertThat(sql.violations()).isEmpty();
        assertThat(sql.text("SELECT end_reason FROM spin.matches WHERE match_id = ?", match)).isEqualTo("repair");
        assertThat(sql.state("bob")).isEqualTo("idle");
    }

    @Test
    void strandedUsersAreMatched() throws Exception {
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        Thread.sleep(1100);
        assertThat(repair()).containsEntry("stranded", 2);
        assertThat(sql.count("SELECT count(*) FROM spin.matches WHERE ended_at IS NULL")).isEqualTo(1);
    }
}
