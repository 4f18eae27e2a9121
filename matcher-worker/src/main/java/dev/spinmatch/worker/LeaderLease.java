package dev.spinmatch.worker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A fleet-wide role held by at most one worker at a time: the row {@code spin.leases(name)}, taken
 * or renewed by a conditional upsert in a short transaction of its own ({@code spin.try_lease}).
 * Not a session advisory lock: it needs no dedicated connection, survives pooled connections and
 * expires by itself when its holder dies. The holder's work runs in transactions that begin with
 * {@link #hold}, which keeps the lease row share-locked, so a taker's upsert waits for that work to
 * finish even when the work outlives the TTL: two holders never work at the same time.
 */
final class LeaderLease {
    private final DataSource dataSource;
    private final String name;
    private final String holder;
    private final Duration ttl;

    LeaderLease(DataSource dataSource, String name, String holder, Duration ttl) {
        this.dataSource = dataSource;
        this.name = name;
        this.holder = holder;
        this.ttl = ttl;
    }

    /** Takes the lease or renews it; true when this worker holds it for another TTL. */
    boolean acquire() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement(NamedQueries.get("try_lease"))) {
            ps.setString(1, name);
            ps.setString(2, holder);
            ps.setLong(3, ttl.toMillis());
            boolean held = single(ps);
            connection.commit();
            return held;
        }
    }

    /** Inside the caller's transaction, before its work: true when the lease is still ours (then share-locked). */
    boolean hold(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(NamedQueries.get("hold_lease"))) {
            ps.setString(1, name);
            ps.setString(2, holder);
            return single(ps);
        }
    }

    /** Gives the lease up so another worker takes it at once (on shutdown). */
    void release() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement(NamedQueries.get("release_lease"))) {
            ps.setString(1, name);
            ps.setString(2, holder);
            single(ps);
            connection.commit();
        }
    }

    private static boolean single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
