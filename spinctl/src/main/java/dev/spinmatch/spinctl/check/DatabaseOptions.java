package dev.spinmatch.spinctl.check;

import picocli.CommandLine.Option;

/** The database flags shared by the commands that read PostgreSQL. */
public final class DatabaseOptions {
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
}
