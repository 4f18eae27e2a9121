package dev.spinmatch.spinctl.up;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.spinctl.check.InvariantCheck;
import dev.spinmatch.spinctl.storm.Storm;
import dev.spinmatch.spinctl.storm.StormOptions;
import dev.spinmatch.spinctl.storm.StormResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The storm is only worth its report if it sees every outcome: a match event it cannot decode, a
 * cancel the API rejects, or a spin whose outcome it misses would show here as unresolved spins or
 * errors. Runs the storm's full behaviour mix against the API and real workers, Kafka and PostgreSQL.
 */
class StormAgainstTheRealStackLosesNoSpinAndBreaksNoInvariantTest {
    @Test
    void everyAcceptedSpinReachesAnOutcomeAndTheInvariantsHold() throws Exception {
        Stack stack = TestStack.get();
        StormOptions options = StormOptions.defaults(stack.api().uri(), stack.kafkaBootstrap(), stack.matchesTopic(),
                200, Duration.ofSeconds(6)).withDrainTimeout(Duration.ofSeconds(60));
        InvariantCheck check = new InvariantCheck(stack.dbUrl(), stack.dbUser(), stack.dbPassword());

        StormResult result = new Storm(options, System.out).run(check, "1 second");

        assertThat(result.accepted()).isPositive();
        assertThat(result.matches()).isPositive();
        assertThat(result.matchesEnded()).isPositive();
        assertThat(result.errors()).isEmpty();
        assertThat(result.unresolvedSpins()).isZero();
        assertThat(result.violations()).isEmpty();
        assertThat(result.passed()).isTrue();
    }
}
