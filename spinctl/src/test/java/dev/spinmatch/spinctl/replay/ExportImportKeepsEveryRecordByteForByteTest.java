package dev.spinmatch.spinctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.embedded.TestKafka;
import dev.spinmatch.spinctl.Spinctl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped log imported into a real topic and exported again: every record keeps partition,
 * offset, timestamp, key, headers and value (the non-UTF-8 one too); importing an export back into
 * its own topic is refused unless explicitly allowed.
 */
class ExportImportKeepsEveryRecordByteForByteTest {
    @TempDir
    Path dir;

    @Test
    void importThenExportGivesBackTheSameRecords() throws Exception {
        String kafka = TestKafka.bootstrapServers();
        String topic = KafkaTopics.unique("requests");
        KafkaTopics.create(kafka, 6, topic);
        Path shipped = ReplayDatabases.resource("bad-night.ndjson");
        Path exported = dir.resolve("exported.ndjson");

        assertThat(run("import", "--kafka", kafka, "--topic", topic, "--in", shipped.toString())).isZero();
        assertThat(run("export", "--kafka", kafka, "--topic", topic, "--out", exported.toString())).isZero();

        List<LogRecord> before = LogFile.read(shipped).stream().sorted(LogOrder.BY_PARTITION_AND_OFFSET).toList();
        List<LogRecord> after = LogFile.read(exported);
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            assertThat(comparable(after.get(i))).isEqualTo(comparable(before.get(i)));
        }
        assertThat(Files.readString(exported)).contains("\"valueEncoding\":\"base64\"");
        assertThat(run("import", "--kafka", kafka, "--topic", topic, "--in", exported.toString())).isEqualTo(2);
    }

    @Test
    void exportOfOneUserInAnOffsetRangeHoldsOnlyTheirRecords() throws Exception {
        String kafka = TestKafka.bootstrapServers();
        String topic = KafkaTopics.unique("requests");
        KafkaTopics.create(kafka, 6, topic);
        Path exported = dir.resolve("alice.ndjson");
        run("import", "--kafka", kafka, "--topic", topic, "--in", ReplayDatabases.resource("bad-night.ndjson").toString());

        assertThat(run("export", "--kafka", kafka, "--topic", topic, "--partition", "3", "--from-offset", "1",
                "--user", "alice", "--out", exported.toString())).isZero();

        List<LogRecord> alice = LogFile.read(exported);
        assertThat(alice).isNotEmpty().allSatisfy(r -> {
            assertThat(r.keyText()).isEqualTo("alice");
            assertThat(r.partition()).isEqualTo(3);
            assertThat(r.offset()).isGreaterThanOrEqualTo(1);
        });
    }

    private static String comparable(LogRecord r) {
        return new LogRecord(null, null, r.partition(), r.offset(), r.timestamp(), r.key(), r.headers(), r.value())
                .toJson().toString();
    }

    private static int run(String... args) {
        return Spinctl.commandLine().execute(args);
    }
}
