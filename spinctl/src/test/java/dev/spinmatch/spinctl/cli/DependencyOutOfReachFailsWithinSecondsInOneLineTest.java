package dev.spinmatch.spinctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command whose Kafka or PostgreSQL cannot be reached fails with exit code 2 ("cannot run") within ten
 * seconds, in one line naming the address and the flag that sets it; the stack trace only with --verbose.
 * import waited 63 s and printed a stack trace; storm waited 32 s without naming the address; check exited 1,
 * the code of a violated invariant.
 */
class DependencyOutOfReachFailsWithinSecondsInOneLineTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void checkNamesTheDatabaseItCannotReach() throws Exception {
        String db = "jdbc:postgresql://127.0.0.1:" + Run.closedPort() + "/spin";
        assertFailsFast(Run.of("check", "--db", db), db, "--db");
    }

    @Test
    void importNamesTheBrokerItCannotReach(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("night.ndjson"), "");
        String kafka = "127.0.0.1:" + Run.closedPort();
        assertFailsFast(Run.of("import", "--kafka", kafka, "--topic", "spin.requests", "--in", log.toString()), kafka,
                "--kafka");
    }

    @Test
    void exportNamesTheBrokerItCannotReach() throws Exception {
        String kafka = "127.0.0.1:" + Run.closedPort();
        assertFailsFast(Run.of("export", "--kafka", kafka), kafka, "--kafka");
    }

    @Test
    void stormNamesTheBrokerItCannotReach() throws Exception {
        String kafka = "127.0.0.1:" + Run.closedPort();
        assertFailsFast(Run.of("storm", "--kafka", kafka, "--api", "http://127.0.0.1:" + Run.closedPort(),
                "--duration", "1s"), kafka, "--kafka");
    }

    @Test
    void upNamesTheDatabaseItCannotReach() throws Exception {
        String db = "jdbc:postgresql://127.0.0.1:" + Run.closedPort() + "/spin";
        assertFailsFast(Run.of("up", "--api-port", "0", "--db", db, "--kafka", "127.0.0.1:" + Run.closedPort()), db,
                "--db");
    }

    @Test
    void replayNamesTheScratchDatabaseItCannotReach(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("night.ndjson"), "");
        String db = "jdbc:postgresql://127.0.0.1:" + Run.closedPort() + "/scratch";
        assertFailsFast(Run.of("replay", "--log", log.toString(), "--db", db), db, "--db");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        String db = "jdbc:postgresql://127.0.0.1:" + Run.closedPort() + "/spin";
        Run run = Run.of("check", "--verbose", "--db", db);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(db).contains("\tat ");
    }

    private static void assertFailsFast(Run run, String address, String flag) {
        System.out.printf("%s in %d ms%n", run.err().strip(), run.took().toMillis());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.took()).as("time to fail").isLessThan(LIMIT);
        List<String> lines = run.err().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as("one line").hasSize(1);
        assertThat(lines.get(0)).contains(address).contains(flag).doesNotContain("\tat ");
    }
}
