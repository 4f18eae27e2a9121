package dev.spinmatch.spinctl.replay;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spinmatch.embedded.EmbeddedPostgres;
import dev.spinmatch.schema.Migrations;
import dev.spinmatch.spinctl.reach.DatabaseReach;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The database a replay writes: an embedded PostgreSQL started for the replay (default), or a given
 * one. It is migrated, must hold no spins yet, and gets the replay clock (replay_clock.sql).
 */
public final class ScratchDatabase implements AutoCloseable {
    private static final String SEARCH_PATH = "SET search_path = replay, pg_catalog, public";
    private final String url;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private ScratchDatabase(String url, String user, String password, EmbeddedPostgres embedded) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** A fresh embedded database (fsync and synchronous_commit off: a scratch copy, thrown away at close). */
    public static ScratchDatabase embedded() throws SQLException {
        EmbeddedPostgres pg = EmbeddedPostgres.start(new EmbeddedPostgres.Options(100, 1024, false, false, "128MB", true));
        return prepared(new ScratchDatabase(pg.jdbcUrl("postgres"), EmbeddedPostgres.USER, "", pg));
    }

    /**
     * A given database. Refuses the database the log came from ({@code source}, normally the
     * production database of db.url) unless {@code allowSource}, and any database that holds spins.
     */
    public static ScratchDatabase given(String url, String user, String password, String source, boolean allowSource)
            throws SQLException {
        if (!allowSource && source != null && sameDatabase(url, source)) {
            throw new IllegalArgumentException("refusing to replay into the source database " + source
                    + " (pass --allow-write-to-source to do it anyway)");
        }
        DatabaseReach.check(DatabaseReach.dataSource(url, user, password), url, "--db (user: --db-user, --db-password)");
        return prepared(new ScratchDatabase(url, user, password, null));
    }

    static boolean sameDatabase(String a, String b) {
        return normalized(a).equals(normalized(b));
    }

    private static String normalized(String jdbcUrl) {
        String withoutParams = jdbcUrl.replaceFirst("\\?.*$", "").toLowerCase(Locale.ROOT);
        return withoutParams.replace("://localhost", "://127.0.0.1").replaceFirst("(://[^/:]+)/", "$1:5432/");
    }

    private static ScratchDatabase prepared(ScratchDatabase db) throws SQLException {
        DataSource plain = db.plain();
        Migrations.migrate(plain);
        try (Connection c = plain.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(Sql.get("count_spins"))) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new IllegalArgumentException("refusing to replay into " + db.url
                            + ": it already holds spins (a replay needs an empty scratch database)");
                }
            }
            st.execute(Sql.get("replay_clock"));
        }
        return db;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A pool whose sessions run on the replay clock; closed with this database. */
    ReplayClock clockedPool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setAutoCommit(false);
        config.setPoolName("replay-" + name);
        config.setConnectionInitSql(SEARCH_PATH);
        HikariDataSource pool = new HikariDataSource(config);
        synchronized (pools) {
            pools.add(pool);
        }
        return new ReplayClock(pool);
    }

    DataSource plain() {
        return DatabaseReach.dataSource(url, user, password);
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        if (embedded != null) {
            embedded.close();
        }
    }
}
