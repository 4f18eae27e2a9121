package dev.spinmatch.spinctl.replay;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spinctl export}: a range of spin.requests to an NDJSON file, a faithful copy of the log. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a range of a topic (time window, or partitions and offsets, optionally some users) "
                + "to NDJSON: partition, offset, timestamp, key, headers and value of each record "
                + "(UTF-8 text, or base64 with an encoding marker when not valid UTF-8). Reads only.")
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    TopicRange range;

    @Option(names = {"-o", "--out"}, description = "Output file (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<LogRecord> records = range.read();
        if (out == null) {
            LogFile.write(records, new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        } else {
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                LogFile.write(records, w);
            }
        }
        System.err.printf("exported %d records%n", records.size());
        return 0;
    }
}
