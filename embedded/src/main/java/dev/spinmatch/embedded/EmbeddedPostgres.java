package dev.spinmatch.embedded;

import dev.spinmatch.common.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A real PostgreSQL 17 server (zonky binaries) in a temporary directory on a free port, with the
 * settings spinmatch needs: a lock table big enough for batched advisory locks
 * ({@code max_locks_per_transaction}); fsync and synchronous_commit on by default, as in production,
 * so benchmark figures are honest (zonky's own default is synchronous_commit off: a commit would not
 * wait for its WAL flush); autovacuum every 10 s as in deploy/reference/postgres.yaml (ending matches and
 * closing spins update live rows, and the relay reads BRIN summaries autovacuum keeps current); and the C collation
 * with UTF-8 encoding, as CloudNativePG creates it, whatever the machine's locale: user ids then sort
 * the same on every machine (a deterministic replay gives the same bytes everywhere) and compare by
 * memcmp instead of the C library's strcoll.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    public static final String USER = "postgres";

    /**
     * Server settings, read once from {@link Settings} (keys documented in docs/CONFIGURATION.md).
     * {@code shutdownHook}: stop the server when the JVM exits (tests); off for an owner that stops it itself,
     * in its own order (spinctl's local stack stops it after the workers that write to it).
     */
    public record Options(int maxConnections, int maxLocksPerTransaction, boolean fsync, boolean synchronousCommit,
            String sharedBuffers, boolean shutdownHook) {
        public static Options from(Settings settings) {
            return new Options(
                    settings.integer("embedded.pg.max-connections", 200),
                    settings.integer("embedded.pg.max-locks-per-transaction", 1024),
                    settings.flag("embedded.pg.fsync", true),
                    settings.flag("embedded.pg.synchronous-commit", true),
                    settings.string("embedded.pg.shared-buffers", "256MB"), true);
        }

        public Options withoutShutdownHook() {
            return new Options(maxConnections, maxLocksPerTransaction, fsync, synchronousCommit, sharedBuffers, false);
        }
    }

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    public static EmbeddedPostgres start(Options options) {
        try {
            return new EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", String.valueOf(options.maxConnections()))
                    .setServerConfig("max_locks_per_transaction", String.valueOf(options.maxLocksPerTransaction()))
                    .setServerConfig("fsync", options.fsync() ? "on" : "off")
                    .setServerConfig("synchronous_commit", options.synchronousCommit() ? "on" : "off")
                    .setServerConfig("shared_buffers", options.sharedBuffers())
                    .setServerConfig("autovacuum_naptime", "10s")
                    .setLocaleConfig("locale", "C")
                    .setLocaleConfig("encoding", "UTF8")
                    .setRegisterShutdownHook(options.shutdownHook())
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** JDBC URL of {@code database} on this server (user {@value #USER}, no password). */
    public String jdbcUrl(String database) {
        return server.getJdbcUrl(USER, database);
    }

    public DataSource dataSource(String database) {
        return server.getDatabase(USER, database);
    }

    /** Writes every dirty page now, so the next stop (whose shutdown checkpoint writes what is left) is quick. */
    public void checkpoint() {
        try (Connection connection = dataSource("postgres").getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new IllegalStateException("CHECKPOINT failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
