package dev.spinmatch.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void systemPropertyWinsOverEnvironmentWhichWinsOverDefault() {
        Properties props = new Properties();
        props.setProperty("spinmatch.db.url", "jdbc:from-property");
        Settings settings = new Settings(
                Map.of("SPINMATCH_DB_URL", "jdbc:from-env", "SPINMATCH_BATCH_SIZE", "250"), props);

        assertThat(settings.string("db.url", "default")).isEqualTo("jdbc:from-property");
        assertThat(settings.integer("batch.size", 1)).isEqualTo(250);
        assertThat(settings.string("kafka.bootstrap", "default")).isEqualTo("default");
    }

    @Test
    void durationsAcceptShortUnitsAndIso() {
        assertThat(Settings.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Settings.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Settings.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Settings.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void invalidValueNamesTheSettingAndItsVariable() {
        Settings settings = new Settings(Map.of("SPINMATCH_BATCH_SIZE", "lots"), new Properties());
        assertThatThrownBy(() -> settings.integer("batch.size", 1))
                .hasMessageContaining("batch.size").hasMessageContaining("SPINMATCH_BATCH_SIZE");
    }
}
