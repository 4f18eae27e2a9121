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
 * (replay, explain, diff...) is one more entry in {@code subcommands}. A command that cannot run (a dependency
 * out of reach, a port in use, a bad argument) prints one line and exits 2; {@code --verbose} adds the stack trace.
 */
@Command(name = "spinctl", mixinStandardHelpOptions = true, version = "spinctl 0.1.0",
        description = "Run, load-test and check spinmatch.", defaultValueProvider = Defaults.class,
        subcommands = {UpCommand.class, StormCommand.class, CheckCommand.class, BenchCommand.class,
                ExportCommand.class, ImportCommand.class, ReplayCommand.class, ExplainCommand.class, DiffCommand.class,
                ExportOutcomesCommand.class, CommandLine.HelpCommand.class})
public final class Spinctl implements Runnable {
    static final int CANNOT_RUN = 2;
    private static volatile boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an error, not only its one-line message.")
    void verbose(boolean value) {
        verbose = value;
    }

    public static void main(String[] args) {
        Logging.quiet();
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        verbose = false;
        return new CommandLine(new Spinctl()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Spinctl::cannotRun);
    }

    private static int cannotRun(Exception error, CommandLine command, CommandLine.ParseResult parsed) {
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + oneLine(error)
                + (verbose ? "" : " (--verbose prints the stack trace)"));
        if (verbose) {
            error.printStackTrace(command.getErr());
        }
        return CANNOT_RUN;
    }

    private static String oneLine(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
