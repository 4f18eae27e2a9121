package dev.spinmatch.spinctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code up} on a port another process holds printed a stack trace; it names the port and the way out. */
class UpOnABusyPortSaysWhichAndHowToPickAnotherTest {
    @Test
    void busyApiPortIsNamedWithTheFlagThatPicksAFreeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Run run = Run.of("up", "--api-port", String.valueOf(taken.getLocalPort()));

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err().strip()).doesNotContain("\n").contains("port " + taken.getLocalPort() + " is in use")
                    .contains("--api-port 0");
        }
    }
}
