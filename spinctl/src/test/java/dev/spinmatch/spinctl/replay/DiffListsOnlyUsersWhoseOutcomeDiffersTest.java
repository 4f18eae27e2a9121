package dev.spinmatch.spinctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Diff compares outcome and partner per spin; match ids and times (volatile by nature) do not count. */
class DiffListsOnlyUsersWhoseOutcomeDiffersTest {
    @Test
    void aUserMatchedInOneRunAndExpiredInTheOtherIsListedAlone() {
        List<Outcome> production = List.of(
                new Outcome("alice", "s1", "lobby", "matched", "bob", "m-prod", null, "t1", "t2"),
                new Outcome("bob", "s2", "lobby", "matched", "alice", "m-prod", null, "t1", "t2"),
                new Outcome("erin", "s3", "attic", "expired", null, null, null, "t1", "t3"));
        List<Outcome> replay = List.of(
                new Outcome("alice", "s1", "lobby", "matched", "bob", "m-replay", null, "t0", "t9"),
                new Outcome("bob", "s2", "lobby", "matched", "alice", "m-replay", null, "t0", "t9"),
                new Outcome("erin", "s3", "attic", "matched", "zoe", "m-2", null, "t1", "t3"));

        List<OutcomeDiff.UserDiff> diffs = OutcomeDiff.compare(production, replay);

        assertThat(diffs).extracting(OutcomeDiff.UserDiff::userId).containsExactly("erin");
        assertThat(diffs.get(0).a()).containsExactly("spin s3: expired");
        assertThat(diffs.get(0).b()).containsExactly("spin s3: matched with zoe");
    }
}
