package dev.spinmatch.spinctl.replay;

import dev.spinmatch.spinctl.reach.DatabaseReach;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spinctl explain}: the story of one user, spin or trace. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Print the story of a user, spin or trace in time order: the recorded events about them, "
                + "each decision of the database (queued, matched with whom and why that partner, cancelled, "
                + "expired, superseded, ended, repaired) and matching worker log lines. With --log and no --db, "
                + "the log is first replayed deterministically into an embedded database.")
public final class ExplainCommand implements Callable<Integer> {
    static final class Who {
        @Option(names = "--user", required = true, description = "A user id.")
        String user;

        @Option(names = "--spin", required = true, description = "A spin id.")
        String spin;

        @Option(names = "--trace", required = true, description = "A trace id.")
        String trace;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    @Option(names = "--log", paramLabel = "FILE", description = "The recorded log (NDJSON from spinctl export).")
    Path log;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "A database to read the decisions from (a replay's scratch database, or production: read only).")
    String db;

    @Option(names = "--db-user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "postgres", description = "Database password (default: ${DEFAULT-VALUE}).")
    String dbPassword;

    @Option(names = "--logs", arity = "1..*", paramLabel = "FILE", description = "Worker decision logs (JSON lines).")
    List<Path> logs = List.of();

    @Override
    public Integer call() throws Exception {
        if (db == null && log == null) {
            System.err.println("spinctl explain: give --log (replayed first) or --db");
            return 2;
        }
        List<LogRecord> records = log == null ? List.of() : LogFile.read(log);
        Explain.Subject subject = new Explain.Subject(who.user, who.spin, who.trace);
        if (db != null) {
            DataSource source = DatabaseReach.dataSource(db, dbUser, dbPassword);
            DatabaseReach.check(source, db, "--db (user: --db-user, --db-password)");
            print(new Explain(source, records, logs).story(subject));
            return 0;
        }
        try (ScratchDatabase scratch = ScratchDatabase.embedded()) {
            new Replay(scratch, Replay.Options.deterministic()).replay(records);
            print(new Explain(scratch.plain(), records, logs).story(subject));
        }
        return 0;
    }

    private static void print(List<String> story) {
        story.forEach(System.out::println);
    }
}
