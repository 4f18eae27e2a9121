package dev.spinmatch.worker;

import dev.spinmatch.common.Settings;
import dev.spinmatch.schema.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, migrated database per test on the JVM's one PostgreSQL: {@code test.db.url} (env
 * SPINMATCH_TEST_DB_URL, + _USER/_PASSWORD) when set, else an embedded PostgreSQL 17 started once.
 */
final class TestDatabase {
    private static String serverUrl;
    private static String user;
    private static String password;

    final String url;
    final PGSimpleDataSource dataSource;

    private TestDatabase(String url) {
        this.url = url;
        this.dataSource = dataSource(url);
    }

    static TestDatabase create() {
        String admin = server();
        String name = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = dataSource(admin).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        TestDatabase db = new TestDatabase(admin.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1"));
        Migrations.migrate(db.dataSource);
        return db;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    private static synchronized String server() {
        if (serverUrl == null) {
            Settings settings = Settings.fromEnvironment();
            user = settings.string("test.db.user", "postgres");
            password = settings.string("test.db.password", "postgres");
            serverUrl = settings.optional("test.db.url").orElseGet(TestDatabase::startEmbedded);
        }
        return serverUrl;
    }

    private static String startEmbedded() {
        try {
            // lock table sized for several workers' batches of advisory locks (DESIGN.md)
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_locks_per_transaction", "256")
                    .setServerConfig("max_connections", "200").start();
            return pg.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }
}
