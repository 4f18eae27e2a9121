package dev.spinmatch.spinctl.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The replay's SQL, one statement per file under {@code src/main/resources/replay/NAME.sql}. */
final class Sql {
    private Sql() {
    }

    static String get(String name) {
        try (InputStream in = Sql.class.getResourceAsStream("/replay/" + name + ".sql")) {
            if (in == null) {
                throw new IllegalArgumentException("no query replay/" + name + ".sql");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
