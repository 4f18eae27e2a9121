package dev.spinmatch.spinctl.replay;

import java.sql.SQLException;
import picocli.CommandLine.Option;

/** Where a replay writes: an embedded database by default, never the source unless told. */
public final class ScratchOptions {
    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Scratch database to replay into (default: an embedded PostgreSQL, thrown away at exit). "
                    + "Must hold no spins.")
    String url;

    @Option(names = "--db-user", defaultValue = "postgres", description = "Scratch database user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--db-password", defaultValue = "postgres", description = "Scratch database password (default: ${DEFAULT-VALUE}).")
    String password;

    @Option(names = "--source-db", descriptionKey = "db.url", paramLabel = "JDBC_URL",
            description = "The production database the log belongs to, never written (default: $SPINMATCH_DB_URL).")
    String source;

    @Option(names = "--allow-write-to-source", description = "Allow --db to be the source database.")
    boolean allowWriteToSource;

    ScratchDatabase open() throws SQLException {
        return url == null ? ScratchDatabase.embedded()
                : ScratchDatabase.given(url, user, password, source, allowWriteToSource);
    }
}
