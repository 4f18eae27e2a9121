package dev.spinmatch.spinctl.replay;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A replay refuses the database the log belongs to, however its URL is spelled, unless allowed. */
class ReplayNeverWritesTheSourceDatabaseTest {
    @Test
    void scratchDatabaseEqualToTheSourceIsRefused() {
        assertThatThrownBy(() -> ScratchDatabase.given("jdbc:postgresql://LOCALHOST/spin?ssl=false", "u", "p",
                "jdbc:postgresql://127.0.0.1:5432/spin", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--allow-write-to-source");
    }
}
