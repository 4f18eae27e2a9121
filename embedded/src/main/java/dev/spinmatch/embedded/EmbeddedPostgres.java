package dev.spinmatch.embedded;

import dev.spinmatch.common.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * memcmp instead of the C library's strcoll. {@link #startRestartable} gives a server that
 * {@link #stop()} and {@link #startAgain()} restart on the same port and data directory, as a restarted
 * database server comes back (tests of clients that must survive it).
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

    private final Options options;
    private final Path dataDirectory;
    private final int port;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(Options options, Path dataDirectory, int port) {
        this.options = options;
        this.dataDirectory = dataDirectory;
        this.port = port;
        startAgain();
    }

    public static EmbeddedPostgres start(Options options) {
        return new EmbeddedPostgres(options, null, 0);
    }

    /** A server on a data directory and port of its own, kept across {@link #stop()} and {@link #startAgain()}. */
    public static EmbeddedPostgres startRestartable(Options options) {
        int port;
        Path dataDirectory;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
            dataDirectory = Files.createTempDirectory("spinmatch-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EmbeddedPostgres(options, dataDirectory, port);
    }

    /** Stops the server (fast shutdown: open transactions are rolled back), keeping its data. */
    public synchronized void stop() {
        if (server != null) {
            close(server);
            server = null;
        }
    }

    /** Starts the server (again): on its own data directory and port if restartable, else fresh ones. */
    public synchronized void startAgain() {
        if (server == null) {
            server = start(options, dataDirectory, port);
        }
    }

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres start(Options options, Path dataDirectory, int port) {
        try {
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder();
            if (dataDirectory != null) {
                // an initialised directory (postgresql.conf present) is started as it is, not initialised again
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port);
            }
            return builder
                    .setServerConfig("max_connections", String.valueOf(options.maxConnections()))
                    .setServerConfig("max_locks_per_transaction", String.valueOf(options.maxLocksPerTransaction()))
                    .setServerConfig("fsync", options.fsync() ? "on" : "off")
                    .setServerConfig("synchronous_commit", options.synchronousCommit() ? "on" : "off")
                    .setServerConfig("shared_buffers", options.sharedBuffers())
                    .setServerConfig("autovacuum_naptime", "10s")
                    .setLocaleConfig("locale", "C")
                    .setLocaleConfig("encoding", "UTF8")
                    .setRegisterShutdownHook(options.shutdownHook())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    public synchronized int port() {
        return server.getPort();
    }

    /** JDBC URL of {@code database} on this server (user {@value #USER}, no password). */
    public synchronized String jdbcUrl(String database) {
        return server.getJdbcUrl(USER, database);
    }

    public synchronized DataSource dataSource(String database) {
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
        stop();
        if (dataDirectory != null) {
            TempDirectories.delete(dataDirectory);
        }
    }

    private static void close(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
