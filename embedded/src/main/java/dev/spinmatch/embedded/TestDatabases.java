package dev.spinmatch.embedded;

import dev.spinmatch.common.Settings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh, isolated databases for tests: one PostgreSQL server per test JVM ({@code test.db.url},
 * env {@code SPINMATCH_TEST_DB_URL} with {@code _USER}/{@code _PASSWORD}, when set; otherwise an
 * {@link EmbeddedPostgres} started on first use and stopped when the JVM exits). Each
 * {@link #create} returns a new database copied from a template prepared once per JVM by
 * {@code initializer} (e.g. the schema migrations), so tests never see each other's rows and
 * migrations run once. An external server's user needs CREATEDB.
 */
public final class TestDatabases {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<String, String> TEMPLATES = new HashMap<>();
    private static Server server;

    private TestDatabases() {
    }

    /** A database for one test (class), made from template {@code templateName}. Close drops it. */
    public static synchronized TestDatabase create(String templateName, Consumer<DataSource> initializer) {
        Server s = server();
        String template = TEMPLATES.computeIfAbsent(templateName, n -> prepareTemplate(s, n, initializer));
        String name = "t_" + RUN + "_" + COUNTER.incrementAndGet();
        s.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        return new TestDatabase(name, s.url(name), s.user, s.password, () -> s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    private static String prepareTemplate(Server s, String templateName, Consumer<DataSource> initializer) {
        String template = "tpl_" + RUN + "_" + templateName.replaceAll("[^a-z0-9_]", "_");
        s.execute("CREATE DATABASE " + template);
        initializer.accept(s.dataSource(template));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> s.executeQuietly("DROP DATABASE IF EXISTS " + template + " WITH (FORCE)")));
        return template;
    }

    private static Server server() {
        if (server == null) {
            Settings settings = Settings.fromEnvironment();
            server = settings.optional("test.db.url")
                    .map(url -> new Server(url, settings.string("test.db.user", "postgres"), settings.string("test.db.password", "")))
                    .orElseGet(TestDatabases::startEmbedded);
        }
        return server;
    }

    private static Server startEmbedded() {
        EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Options.from(Settings.fromEnvironment()));
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "embedded-postgres-stop"));
        return new Server(pg.jdbcUrl("postgres"), EmbeddedPostgres.USER, "");
    }

    /** One database made by {@link #create}. */
    public record TestDatabase(String name, String jdbcUrl, String user, String password, Runnable dropper)
            implements AutoCloseable {
        public DataSource dataSource() {
            return Server.dataSource(jdbcUrl, user, password);
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }

        @Override
        public void close() {
            dropper.run();
        }
    }

    private record Server(String adminUrl, String user, String password) {
        /** The URL of {@code database} on this server: the admin URL with its database replaced. */
        String url(String database) {
            return adminUrl.replaceFirst("^(jdbc:postgresql://[^/?]+/)[^?]*", "$1" + database);
        }

        DataSource dataSource(String database) {
            return dataSource(url(database), user, password);
        }

        static DataSource dataSource(String url, String user, String password) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        }

        /** For shutdown hooks: an embedded server may already be gone, and then so is the database. */
        void executeQuietly(String sql) {
            try {
                execute(sql);
            } catch (IllegalStateException e) {
                // nothing left to clean up
            }
        }

        void execute(String sql) {
            try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }
}
