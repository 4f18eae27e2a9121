package dev.spinmatch.spinctl.cli;

import dev.spinmatch.spinctl.Spinctl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One spinctl command run in this JVM as {@code main} would run it: its exit code, what it printed, how long. */
public record Run(int exitCode, String out, String err, Duration took) {

    public static synchronized Run of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        long start = System.nanoTime();
        try {
            int code = Spinctl.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    /** A port nothing listens on (bound, then released). */
    public static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
