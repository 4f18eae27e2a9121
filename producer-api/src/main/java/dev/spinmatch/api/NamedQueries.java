package dev.spinmatch.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** SQL kept in a classpath .sql file, one statement per {@code -- name: X} block. */
final class NamedQueries {
    private static final String MARKER = "-- name:";
    private final Map<String, String> byName;

    private NamedQueries(Map<String, String> byName) {
        this.byName = Map.copyOf(byName);
    }

    static NamedQueries load(String resource) {
        try (InputStream in = NamedQueries.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NamedQueries parse(String text) {
        Map<String, String> byName = new HashMap<>();
        String name = null;
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith(MARKER)) {
                put(byName, name, sql);
                name = line.substring(MARKER.length()).trim();
                sql.setLength(0);
            } else if (name != null && !line.trim().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        put(byName, name, sql);
        return new NamedQueries(byName);
    }

    String get(String name) {
        String sql = byName.get(name);
        if (sql == null) {
            throw new IllegalArgumentException("no query named " + name);
        }
        return sql;
    }

    private static void put(Map<String, String> byName, String name, StringBuilder sql) {
        if (name != null) {
            String statement = sql.toString().trim();
            byName.put(name, statement.endsWith(";") ? statement.substring(0, statement.length() - 1) : statement);
        }
    }
}
