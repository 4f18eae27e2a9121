package dev.spinmatch.schema;

import dev.spinmatch.common.Settings;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Flyway migrations to the configured database and exits: the Kubernetes Job
 * spinmatch-migrate runs it (from the worker image) before a rollout. Reads {@code db.url}
 * (required: no embedded database here), {@code db.user} and {@code db.password}.
 */
public final class MigrateMain {
    private static final Logger log = LoggerFactory.getLogger(MigrateMain.class);

    private MigrateMain() {
    }

    public static void main(String[] args) {
        Settings settings = Settings.fromEnvironment();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.optional("db.url").orElseThrow(
                () -> new IllegalStateException("db.url (" + Settings.environmentName("db.url") + ") is required")));
        dataSource.setUser(settings.string("db.user", "postgres"));
        dataSource.setPassword(settings.string("db.password", "postgres"));
        log.info("schema {}: {} migration(s) applied", Migrations.SCHEMA, Migrations.migrate(dataSource));
    }
}
