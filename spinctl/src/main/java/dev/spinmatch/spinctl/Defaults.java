package dev.spinmatch.spinctl;

import dev.spinmatch.common.Settings;
import picocli.CommandLine;

/**
 * Feeds picocli's option defaults from {@link Settings}: an option annotated with
 * {@code descriptionKey = "db.url"} defaults to {@code -Dspinmatch.db.url} or {@code SPINMATCH_DB_URL}
 * before its own {@code defaultValue}. Listed in docs/CONFIGURATION.md.
 */
public final class Defaults implements CommandLine.IDefaultValueProvider {
    private final Settings settings = Settings.fromEnvironment();

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (argSpec instanceof CommandLine.Model.OptionSpec option && !option.descriptionKey().isEmpty()) {
            return settings.optional(option.descriptionKey()).orElse(argSpec.defaultValue());
        }
        return argSpec.defaultValue();
    }
}
