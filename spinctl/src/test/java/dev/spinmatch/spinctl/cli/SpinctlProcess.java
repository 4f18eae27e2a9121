package dev.spinmatch.spinctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** spinctl in a JVM of its own, as a user runs it (signals included); its output goes to a file. */
public final class SpinctlProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private SpinctlProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code spinctl args...} with the given JVM options, on this test's class path. */
    public static SpinctlProcess start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.spinmatch.spinctl.Spinctl");
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "spinctl-", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new SpinctlProcess(process, output);
    }

    /** Waits until the output holds {@code text}; false when the process ended or {@code limit} passed first. */
    public boolean awaitOutput(String text, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return output().contains(text);
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Sends SIGTERM (what Ctrl-C's SIGINT and a container stop do alike: the JVM runs its shutdown hooks). */
    public void terminate() {
        process.destroy();
    }

    /** The exit code, or null when it had not exited within {@code limit}. */
    public Integer awaitExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
