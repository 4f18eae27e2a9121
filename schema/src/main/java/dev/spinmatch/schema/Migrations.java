package dev.spinmatch.schema;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Creates or upgrades schema {@code spin} (tables, constraints, PL/pgSQL functions) with Flyway. */
public final class Migrations {
    public static final String SCHEMA = "spin";

    private Migrations() {
    }

    /** Applies every pending migration of {@code db/migration}; returns how many were applied. */
    public static int migrate(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
