package dev.spinmatch.spinctl.replay;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Instant;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose connections see the replayed event time as now() (replay_clock.sql): each
 * connection handed out first sets {@code spin.replay_now} to {@link #set the clock}. One per
 * replaying worker thread.
 */
final class ReplayClock implements DataSource {
    private static final String SET_CLOCK = Sql.get("set_clock");
    private final DataSource delegate;
    private volatile Instant now = Instant.EPOCH;

    ReplayClock(DataSource delegate) {
        this.delegate = delegate;
    }

    void set(Instant instant) {
        now = instant;
    }

    Instant now() {
        return now;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = delegate.getConnection();
        try (PreparedStatement ps = connection.prepareStatement(SET_CLOCK)) {
            ps.setString(1, now.toString());
            ps.execute();
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the replay clock uses the pool's credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
