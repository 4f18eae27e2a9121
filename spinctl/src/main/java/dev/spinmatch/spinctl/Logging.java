package dev.spinmatch.spinctl;

import java.nio.file.Path;

/**
 * The services started by {@code spinctl up} log JSON lines at INFO (one per accepted spin); on the
 * terminal that would bury the tool's own output. Unless the user chose a logback configuration,
 * spinctl sends logs to a file (printed at start) and only errors to the terminal.
 */
public final class Logging {
    private Logging() {
    }

    public static void toFile() {
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "spinctl-" + ProcessHandle.current().pid() + ".log");
        System.setProperty("spinctl.log.file", file.toString());
        System.setProperty("logback.configurationFile", "spinctl-logback.xml");
    }
}
