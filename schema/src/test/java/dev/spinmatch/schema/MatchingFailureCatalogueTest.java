package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The DB-level failures of DESIGN.md's catalogue, one test each, on the real functions. */
class MatchingFailureCatalogueTest extends SpinDatabase {

    @Test
    void userQueuedTwiceIsNeverMatchedWithThemselves() {
        UUID first = spin();
        sql.join("alice", "lobby", first);
        assertThat(sql.join("alice", "lobby", spin())).isEqualTo("requeued");
        assertThat(sql.text("SELECT outcome FROM spin.spins WHERE spin_id = ?", first)).isEqualTo("superseded");
        assertThat(sql.match("alice").get(0).get("result")).isEqualTo("waiting");
        assertThat(sql.count("SELECT count(*) FROM spin.matches")).isZero();
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void matchedUserIsDequeuedSoNoThirdUserJoinsTheMatch() {
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        sql.join("carol", "lobby", spin());
        List<Map<String, Object>> result = sql.match("alice", "bob", "carol");
        assertThat(result).extracting(r -> r.get("result")).containsExactly("matched", "matched", "waiting");
        assertThat(sql.count("SELECT count(*) FROM spin.spins WHERE outcome = 'matched' AND live")).isEqualTo(2);
        assertThat(sql.count("SELECT count(*) FROM spin.spins WHERE outcome IS NULL")).isEqualTo(1);
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void partnerIsTheOldestWaitingUserOfTheSamePool() {
        sql.join("old", "lobby", spin());
        sql.join("other-pool", "games", spin());
        sql.join("young", "lobby", spin());
        sql.join("me", "lobby", spin());
        assertThat(sql.match("me").get(0)).containsEntry("result", "matched").containsEntry("partner_id", "old");
    }

    @Test
    void samePairIsNotMatchedAgainWithinTheCooldown() {
        Object match = matchAliceWithBob();
        sql.exec("SELECT spin.end_match(?, 'alice')", match);
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        assertThat(sql.match("alice", "bob")).extracting(r -> r.get("result")).containsExactly("waiting", "waiting");
        assertThat(sql.rows("SELECT * FROM spin.invariant_violations(interval '0') WHERE kind = 'stranded'")).isEmpty();

        sql.exec("UPDATE spin.settings SET rematch_cooldown = interval '0'");
        assertThat(sql.match("alice").get(0).get("result")).isEqualTo("matched");
    }

    @Test
    void joinWhileMatchedIsNextEndingTheMatchForBoth() {
        Object match = matchAliceWithBob();
        assertThat(sql.join("alice", "lobby", spin())).isEqualTo("next");
        assertThat(sql.text("SELECT end_reason FROM spin.matches WHERE match_id = ?", match)).isEqualTo("next");
        assertThat(sql.state("bob")).isEqualTo("idle");
        assertThat(sql.state("alice")).isEqualTo("waiting");
        assertThat(sql.announcements()).filteredOn(r -> r.get("type").equals("match_ended"))
                .extracting(r -> r.get("user_id")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(sql.violations()).isEmpty();
    }

    @Test
    void cancelBeforeMatchingMeansNoMatchIsAnnounced() {
        UUID s = spin();
        sql.join("alice", "lobby", s);
        sql.join("bob", "lobby", spin());
        assertThat(sql.text("SELECT spin.leave_queue('alice', ?)", s)).isEqualTo("cancelled");
        assertThat(sql.match("bob").get(0).get("result")).isEqualTo("waiting");
        assertThat(sql.announcements()).filteredOn(r -> r.get("type").equals("match_created")).isEmpty();
    }

    @Test
    void cancelAfterTheMatchIsANoOpAndAnnouncesNoCancel() {
        UUID s = spin();
        sql.join("alice", "lobby", s);
        sql.join("bob", "lobby", spin());
        sql.match("alice");
        assertThat(sql.text("SELECT spin.leave_queue('alice', ?)", s)).isEqualTo("noop");
        assertThat(sql.announcements()).extracting(r -> r.get("type")).containsExactly("match_created", "match_created");
    }

    @Test
    void cancelRacingTheMatchMakesTheMatcherReportContendedInsteadOfMatching() throws Exception {
        UUID s = spin();
        sql.join("alice", "lobby", s);
        sql.join("bob", "lobby", spin());
        try (Sql canceller = newSession()) {
            canceller.connection.setAutoCommit(false);
            assertThat(canceller.text("SELECT spin.leave_queue('alice', ?)", s)).isEqualTo("cancelled");
            // alice's lock is held by the uncommitted cancel: bob must not be matched with her
            assertThat(sql.match("bob").get(0).get("result")).isEqualTo("contended");
            canceller.connection.commit();
        }
        assertThat(sql.match("bob").get(0).get("result")).isEqualTo("waiting");
        assertThat(sql.count("SELECT count(*) FROM spin.matches")).isZero();
    }

    @Test
    void lockedUserIsReturnedAsContendedNeverSilentlySkipped() throws Exception {
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        try (Sql other = newSession()) {
            other.connection.setAutoCommit(false);
            other.exec("SELECT pg_advisory_xact_lock(spin.lock_key('alice'))");
            assertThat(sql.match("alice").get(0)).containsEntry("result", "contended");
            other.connection.rollback();
        }
        assertThat(sql.match("alice").get(0)).containsEntry("result", "matched").containsEntry("partner_id", "bob");
    }

    @Test
    void twoWaitingUsersLeftUnmatchedAreReportedAsStranded() {
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        sql.join("carol", "games", spin());
        assertThat(sql.violations()).extracting(r -> r.get("kind"), r -> r.get("user_id"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("stranded", "alice"),
                        org.assertj.core.groups.Tuple.tuple("stranded", "bob"));
        assertThat(sql.rows("SELECT * FROM spin.invariant_violations(interval '1 hour')")).isEmpty();
    }

    @Test
    void matchIsAnnouncedToEachParticipantWithEverythingTheEventContractNeeds() {
        UUID aliceSpin = spin();
        UUID bobSpin = spin();
        sql.exec("SELECT spin.join_queue('alice', 'lobby', ?, NULL, 'trace-a')", aliceSpin);
        sql.exec("SELECT spin.join_queue('bob', 'lobby', ?, NULL, 'trace-b')", bobSpin);
        Object match = sql.match("alice").get(0).get("match_id");
        assertThat(sql.announcements())
                .extracting(r -> r.get("type"), r -> r.get("user_id"), r -> r.get("partner_id"), r -> r.get("match_id"),
                        r -> r.get("spin_id"), r -> r.get("pool"), r -> r.get("trace_id"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("match_created", "alice", "bob", match, aliceSpin, "lobby", "trace-a"),
                        org.assertj.core.groups.Tuple.tuple("match_created", "bob", "alice", match, bobSpin, "lobby", "trace-a"));
    }
}
