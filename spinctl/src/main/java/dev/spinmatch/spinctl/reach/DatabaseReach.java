package dev.spinmatch.spinctl.reach;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL as spinctl's commands meet it: a data source whose connection attempts give up within
 * {@link #CONNECT_SECONDS} + {@link #LOGIN_SECONDS} (the driver's defaults wait 10 s and more on a host that does
 * not answer), and {@link #check}, which fails with one line naming the address and the flag.
 */
public final class DatabaseReach {
    static final int CONNECT_SECONDS = 4;
    static final int LOGIN_SECONDS = 4;

    private DatabaseReach() {
    }

    /** A plain (unpooled) data source: what every spinctl command that talks to a database uses. */
    public static DataSource dataSource(String url, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        ds.setPassword(password);
        ds.setConnectTimeout(CONNECT_SECONDS);
        ds.setLoginTimeout(LOGIN_SECONDS);
        return ds;
    }

    /** Opens and closes one connection; {@link Unreachable} naming {@code url} and {@code flag} when it fails. */
    public static void check(DataSource dataSource, String url, String flag) {
        try (Connection ignored = dataSource.getConnection()) {
            // reachable, and the credentials work
        } catch (SQLException | RuntimeException e) {
            throw new Unreachable("PostgreSQL", url, flag, e);
        }
    }
}
