package dev.spinmatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.testkit.PipelineAudit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The seed's failure under real concurrency: thousands of users spin, cancel and "next" at once
 * through the HTTP API, three workers share the partitions. No accepted spin may be lost or end
 * twice, no user may be left stranded beside a partner, and every match must reach both users
 * exactly once on spin.matches.
 */
class ConcurrentSpinsCancelsAndNextsNeverLoseOrDoubleASpinTest {
    private static final int USERS = 2_000;
    private static final int ACTIONS_AFTER_FIRST_SPIN = 2;
    /** Users in pools of their own: their spins are superseded whatever the timing (the others' rarely are). */
    private static final int ALONE = 10;

    @Test
    void everyAcceptedSpinReachesExactlyOneOutcomeAndEveryMatchIsAnnouncedTwice() throws Exception {
        try (SpinSystem system = new SpinSystem(12, 3);
             SimulatedUsers users = new SimulatedUsers(system, USERS, ACTIONS_AFTER_FIRST_SPIN, ALONE)) {
            assertThat(users.run(Duration.ofMinutes(4))).as("every user finished its script").isTrue();
            users.cancelTheWaitingOnceQuiet();

            PipelineAudit audit = new PipelineAudit(system).allChecks(users.accepted());
            audit.assertNoProblems();
            assertThat(users.accepted()).as("spins accepted").hasSize(users.spinsSent());
            assertThat(audit.matchCount()).as("matches made").isPositive();
            assertThat(audit.spinsWithOutcome("cancelled")).as("spins cancelled").isPositive();
            assertThat(audit.spinsWithOutcome("superseded")).as("spins superseded").isPositive();
            assertThat(system.count("SELECT count(*) FROM spin.matches WHERE end_reason = 'next'")).as("nexts").isPositive();
        }
    }
}
