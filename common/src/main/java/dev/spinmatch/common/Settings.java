package dev.spinmatch.common;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where every process reads its configuration. A key such as {@code db.url} is looked up as the
 * system property {@code spinmatch.db.url}, then as the environment variable
 * {@code SPINMATCH_DB_URL}; when neither is set, the caller's documented default applies.
 * Every key is listed with its default in docs/CONFIGURATION.md.
 */
public final class Settings {
    private final Map<String, String> environment;
    private final Properties properties;

    public Settings(Map<String, String> environment, Properties properties) {
        this.environment = Map.copyOf(environment);
        this.properties = (Properties) properties.clone();
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv(), System.getProperties());
    }

    /** The environment variable that sets {@code key}: {@code db.url} is {@code SPINMATCH_DB_URL}. */
    public static String environmentName(String key) {
        return "SPINMATCH_" + key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    public Optional<String> optional(String key) {
        String value = properties.getProperty("spinmatch." + key);
        if (value == null) {
            value = environment.get(environmentName(key));
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return optional(key).map(v -> parse(key, v, Integer::parseInt)).orElse(defaultValue);
    }

    /** An integer that must be greater than zero when it is set; empty when it is not. */
    public Optional<Integer> positiveInteger(String key) {
        return optional(key).map(v -> parse(key, v, Settings::parsePositive));
    }

    public boolean flag(String key, boolean defaultValue) {
        return optional(key).map(v -> parse(key, v, Settings::parseBoolean)).orElse(defaultValue);
    }

    /** Durations are written {@code 250ms}, {@code 5s}, {@code 2m} or ISO-8601 ({@code PT5S}). */
    public Duration duration(String key, Duration defaultValue) {
        return optional(key).map(v -> parse(key, v, Settings::parseDuration)).orElse(defaultValue);
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        if (t.startsWith("p")) {
            return Duration.parse(t.toUpperCase());
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long amount = Long.parseLong(t.substring(0, t.length() - 1));
        switch (t.charAt(t.length() - 1)) {
            case 's': return Duration.ofSeconds(amount);
            case 'm': return Duration.ofMinutes(amount);
            case 'h': return Duration.ofHours(amount);
            default: throw new IllegalArgumentException("unknown unit in " + text);
        }
    }

    private static int parsePositive(String text) {
        int value = Integer.parseInt(text);
        if (value <= 0) {
            throw new IllegalArgumentException("must be > 0");
        }
        return value;
    }

    private static boolean parseBoolean(String text) {
        switch (text.toLowerCase()) {
            case "true": case "yes": case "1": return true;
            case "false": case "no": case "0": return false;
            default: throw new IllegalArgumentException("not a boolean: " + text);
        }
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(String key, String value, Parser<T> parser) {
        try {
            return parser.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "setting " + key + " (" + environmentName(key) + ") has an invalid value '" + value + "': "
                            + e.getMessage(), e);
        }
    }
}
