package dev.spinmatch.spinctl.check;

import dev.spinmatch.spinctl.reach.DatabaseReach;
import javax.sql.DataSource;
import picocli.CommandLine.Option;

/** The database flags shared by the commands that read PostgreSQL. */
public final class DatabaseOptions {
    static final String FLAG = "--db or SPINMATCH_DB_URL (user: --db-user, --db-password)";

    @Option(names = "--db", descriptionKey = "db.url", paramLabel = "JDBC_URL",
            description = "JDBC URL of the spinmatch database (default: $SPINMATCH_DB_URL).")
    public String url;

    @Option(names = "--db-user", descriptionKey = "db.user", defaultValue = "postgres",
            description = "Database user (default: $SPINMATCH_DB_USER or ${DEFAULT-VALUE}).")
    public String user;

    @Option(names = "--db-password", descriptionKey = "db.password", defaultValue = "postgres",
            description = "Database password (default: $SPINMATCH_DB_PASSWORD or ${DEFAULT-VALUE}).")
    public String password;

    public InvariantCheck check() {
        return new InvariantCheck(url, user, password);
    }

    /** True, after saying so on stderr, when no database was given: {@code command} then exits 2. */
    public boolean missing(String command) {
        if (url != null) {
            return false;
        }
        System.err.println("spinctl " + command + ": --db (or SPINMATCH_DB_URL) is required");
        return true;
    }

    public DataSource dataSource() {
        return DatabaseReach.dataSource(url, user, password);
    }

    /** Connects once: {@link dev.spinmatch.spinctl.reach.Unreachable} within seconds when the database cannot be reached. */
    public void requireReachable() {
        DatabaseReach.check(dataSource(), url, FLAG);
    }
}
