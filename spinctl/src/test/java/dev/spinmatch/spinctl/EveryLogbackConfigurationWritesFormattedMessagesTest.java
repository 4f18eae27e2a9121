package dev.spinmatch.spinctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A JSON encoder left at logback's defaults writes the message template ({@code "{} {}{}"}) and its values in a
 * separate array: nobody can grep "matched with u42". Every logback configuration of the repository (surefire
 * runs in the module directory: the repository is its parent) formats its messages.
 */
class EveryLogbackConfigurationWritesFormattedMessagesTest {
    private static final Pattern JSON_ENCODER = Pattern.compile(
            "<encoder class=\"ch.qos.logback.classic.encoder.JsonEncoder\">(.*?)</encoder>", Pattern.DOTALL);

    @Test
    void everyJsonEncoderFormatsItsMessages() throws Exception {
        List<Path> configurations;
        try (Stream<Path> files = Files.walk(Path.of(".."))) {
            configurations = files.filter(p -> p.toString().contains("src/main/resources"))
                    .filter(p -> p.getFileName().toString().matches(".*logback.*\\.xml")).toList();
        }
        assertThat(configurations).isNotEmpty();
        int encoders = 0;
        for (Path configuration : configurations) {
            Matcher encoder = JSON_ENCODER.matcher(Files.readString(configuration, StandardCharsets.UTF_8));
            while (encoder.find()) {
                encoders++;
                assertThat(encoder.group(1)).as(configuration.toString())
                        .contains("<withFormattedMessage>true</withFormattedMessage>")
                        .contains("<withMessage>false</withMessage>")
                        .contains("<withArguments>false</withArguments>");
            }
        }
        assertThat(encoders).as("JSON encoders found").isPositive();
    }
}
