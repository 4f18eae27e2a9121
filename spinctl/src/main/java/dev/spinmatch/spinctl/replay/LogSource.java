package dev.spinmatch.spinctl.replay;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a replayed log comes from: a recorded file, or a topic range read directly. */
public final class LogSource {
    @Option(names = "--log", paramLabel = "FILE", description = "Recorded log (NDJSON from spinctl export). "
            + "Without it, the topic range given by --kafka/--topic/--from/--to/--partition/... is read.")
    Path file;

    @Mixin
    TopicRange range;

    List<LogRecord> read() throws Exception {
        return file != null ? LogFile.read(file) : range.read();
    }
}
