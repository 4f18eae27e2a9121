package dev.spinmatch.spinctl.up;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.spinctl.cli.Run;
import org.junit.jupiter.api.Test;

/**
 * A storm printed PASSED and exited 0 when every request failed: against an unreachable API (550 connect
 * failures, no spin accepted) and with a wrong token (592 answers 401). It fails, and says why.
 */
class StormFailsWhenNoSpinIsAcceptedOrTooManyRequestsFailTest {
    @Test
    void stormAgainstAnUnreachableApiFailsSayingNoSpinWasAccepted() throws Exception {
        Stack stack = TestStack.get();
        Run run = Run.of("storm", "--api", "http://127.0.0.1:" + Run.closedPort(), "--kafka", stack.kafkaBootstrap(),
                "--topic", stack.matchesTopic(), "--users", "20", "--duration", "2s", "--drain-timeout", "2s");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("FAILED: no spin was accepted");
    }

    @Test
    void stormWithAWrongTokenFailsOnItsErrorRate() throws Exception {
        Stack stack = TestStack.get();
        Run run = Run.of("storm", "--api", stack.api().uri().toString(), "--token", "not-a-token",
                "--kafka", stack.kafkaBootstrap(), "--topic", stack.matchesTopic(), "--users", "20",
                "--duration", "2s", "--drain-timeout", "2s");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("spin:http_401").contains("above --max-error-rate 1.00 %");
    }
}
