package dev.spinmatch.spinctl.storm;

import dev.spinmatch.common.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.ITypeConverter;

/** Durations on the command line are written like settings: 250ms, 20s, 2m or PT20S. */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Properties p = new Properties();
        p.setProperty("spinmatch.value", value);
        return new Settings(Map.of(), p).duration("value", Duration.ZERO);
    }
}
