package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class RedeliveredEventIsAppliedOnceTest extends SpinDatabase {
    @Test
    void redeliveredJoinIsADuplicateNoOp() {
        UUID s = spin();
        assertThat(sql.join("alice", "lobby", s)).isEqualTo("queued");
        String before = sql.snapshot();
        assertThat(sql.join("alice", "lobby", s)).isEqualTo("duplicate");
        assertThat(sql.snapshot()).isEqualTo(before);
    }

    @Test
    void redeliveredJoinAfterTheSpinWasMatchedDoesNotRequeue() {
        UUID s = spin();
        sql.join("alice", "lobby", s);
        sql.join("bob", "lobby", spin());
        sql.match("alice");
        assertThat(sql.join("alice", "lobby", s)).isEqualTo("duplicate");
        assertThat(sql.state("alice")).isEqualTo("matched");
    }

    @Test
    void redeliveredLeaveAndEndAreNoOps() {
        UUID s = spin();
        sql.join("alice", "lobby", s);
        assertThat(sql.text("SELECT spin.leave_queue('alice', ?)", s)).isEqualTo("cancelled");
        assertThat(sql.text("SELECT spin.leave_queue('alice', ?)", s)).isEqualTo("noop");
        sql.join("carol", "lobby", spin());
        sql.join("dave", "lobby", spin());
        Object match = sql.match("carol").get(0).get("match_id");
        assertThat(sql.text("SELECT spin.end_match(?, 'carol')", match)).isEqualTo("ended");
        assertThat(sql.text("SELECT spin.end_match(?, 'carol')", match)).isEqualTo("noop");
        assertThat(sql.announcements()).extracting(r -> r.get("type")).containsExactly(
                "spin_cancelled", "match_created", "match_created", "match_ended", "match_ended");
    }
}
