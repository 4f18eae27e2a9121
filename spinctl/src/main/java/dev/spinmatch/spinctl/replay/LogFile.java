package dev.spinmatch.spinctl.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A recorded log: newline-delimited JSON, one {@link LogRecord} per line. */
public final class LogFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogFile() {
    }

    public static List<LogRecord> read(Path file) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    records.add(LogRecord.fromJson(JSON.readTree(line)));
                }
            }
        }
        return records;
    }

    public static void write(List<LogRecord> records, Writer out) throws IOException {
        for (LogRecord record : records) {
            out.write(JSON.writeValueAsString(record.toJson()));
            out.write('\n');
        }
        out.flush();
    }
}
