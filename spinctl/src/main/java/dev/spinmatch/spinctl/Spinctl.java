package dev.spinmatch.spinctl;

import dev.spinmatch.spinctl.bench.BenchCommand;
import dev.spinmatch.spinctl.check.CheckCommand;
import dev.spinmatch.spinctl.replay.DiffCommand;
import dev.spinmatch.spinctl.replay.ExplainCommand;
import dev.spinmatch.spinctl.replay.ExportCommand;
import dev.spinmatch.spinctl.replay.ExportOutcomesCommand;
import dev.spinmatch.spinctl.replay.ImportCommand;
import dev.spinmatch.spinctl.replay.ReplayCommand;
import dev.spinmatch.spinctl.storm.StormCommand;
import dev.spinmatch.spinctl.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The spinmatch command-line tool. Each subcommand is a class of its own registered here; a new one
 * (replay, explain, diff...) is one more entry in {@code subcommands}.
 */
@Command(name = "spinctl", mixinStandardHelpOptions = true, version = "spinctl 0.1.0",
        description = "Run, load-test and check spinmatch.", defaultValueProvider = Defaults.class,
        subcommands = {UpCommand.class, StormCommand.class, CheckCommand.class, BenchCommand.class,
                ExportCommand.class, ImportCommand.class, ReplayCommand.class, ExplainCommand.class, DiffCommand.class,
                ExportOutcomesCommand.class, CommandLine.HelpCommand.class})
public final class Spinctl implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Logging.toFile();
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Spinctl()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
