package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A released migration is never edited: databases in production have applied it, and Flyway refuses to migrate
 * a database whose applied migrations changed (or, worse, the change never reaches them). Every migration is
 * listed with its SHA-256 in released-migrations.sha256; a change to the schema is a new file, listed there
 * when it ships.
 */
class ReleasedMigrationsAreNeverEditedTest {
    private static final String LIST = "/released-migrations.sha256";

    @Test
    void everyMigrationIsListedAndUnchanged() throws Exception {
        Map<String, String> released = released();
        Map<String, String> actual = actual();
        assertThat(actual.keySet()).as("migrations not listed in %s (list a new one when it ships)", LIST)
                .isSubsetOf(released.keySet());
        assertThat(released.keySet()).as("released migrations that are gone").isSubsetOf(actual.keySet());
        released.forEach((file, sha) -> assertThat(actual.get(file))
                .as("%s was released and must not change: put the change in a new migration", file).isEqualTo(sha));
    }

    /** {@code file -> sha256} from the checked-in list ("sha256  file" per line, as sha256sum prints it). */
    private static Map<String, String> released() throws IOException {
        Map<String, String> released = new LinkedHashMap<>();
        try (InputStream in = ReleasedMigrationsAreNeverEditedTest.class.getResourceAsStream(LIST)) {
            assertThat(in).as(LIST).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split("\\s+");
                    released.put(parts[1], parts[0]);
                }
            }
        }
        return released;
    }

    private static Map<String, String> actual() throws IOException, URISyntaxException, NoSuchAlgorithmException {
        Path dir = Path.of(ReleasedMigrationsAreNeverEditedTest.class.getResource("/db/migration").toURI());
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".sql")).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                actual.put(file.getFileName().toString(), HexFormat.of().formatHex(digest));
            }
        }
        return actual;
    }
}
