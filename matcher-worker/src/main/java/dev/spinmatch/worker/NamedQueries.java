package dev.spinmatch.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The worker's SQL, one statement per file under {@code src/main/resources/sql/NAME.sql}. */
final class NamedQueries {
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private NamedQueries() {
    }

    static String get(String name) {
        return CACHE.computeIfAbsent(name, NamedQueries::load);
    }

    private static String load(String name) {
        try (InputStream in = NamedQueries.class.getResourceAsStream("/sql/" + name + ".sql")) {
            if (in == null) {
                throw new IllegalArgumentException("no query sql/" + name + ".sql");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
