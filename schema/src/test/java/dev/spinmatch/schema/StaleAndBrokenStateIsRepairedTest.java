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
        assertThat(sql.text("SELECT payload->>'spinId' FROM spin.outbox WHERE payload->>'type' = 'spin_expired'")).isEqualTo(s.toString());
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
        assertThat(counts).containsKeys("orphan_open_spin", "broken_match", "stranded");
        assertThat(counts.values()).containsOnly(0);
    }

    @Test
    void openSpinTheUserNoLongerWaitsOnIsClosed() {
        sql.exec("INSERT INTO spin.users (user_id, state) VALUES ('alice', 'idle')");
        sql.exec("INSERT INTO spin.spins (spin_id, user_id, pool, created_at) VALUES (gen_random_uuid(), 'alice', 'lobby', now())");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("open_spin_not_waiting");
        assertThat(repair()).containsEntry("orphan_open_spin", 1);
        assertThat(sql.violations()).isEmpty();
        assertThat(sql.count("SELECT count(*) FROM spin.outbox WHERE payload->>'type' = 'spin_expired'")).isEqualTo(1);
    }

    @Test
    void activeMatchAUserLeftIsEndedAndThePartnerReleased() {
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        Object match = sql.match("alice").get(0).get("match_id");
        sql.exec("UPDATE spin.users SET state = 'idle', match_id = NULL WHERE user_id = 'alice'");
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("active_match_not_in_user_row");
        assertThat(repair()).containsEntry("broken_match", 1);
        assertThat(sql.violations()).isEmpty();
        assertThat(sql.text("SELECT end_reason FROM spin.matches WHERE match_id = ?", match)).isEqualTo("repair");
        assertThat(sql.text("SELECT state FROM spin.users WHERE user_id = 'bob'")).isEqualTo("idle");
    }

    @Test
    void strandedUsersAreMatched() throws Exception {
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        Thread.sleep(1100);
        assertThat(repair()).containsEntry("stranded", 2);
        assertThat(sql.count("SELECT count(*) FROM spin.matches WHERE active")).isEqualTo(1);
    }
}
