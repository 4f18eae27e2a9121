package dev.spinmatch.spinctl.up;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code spinctl up}: the local stack. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start Kafka, PostgreSQL, the API and workers locally.")
public final class UpCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("spinctl up: not wired yet");
        return 2;
    }
}
