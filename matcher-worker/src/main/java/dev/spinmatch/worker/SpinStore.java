package dev.spinmatch.worker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The worker's calls into the matching core (schema/README.md describes the functions). */
final class SpinStore {
    private final DataSource dataSource;

    SpinStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Runs inside the caller's transaction: the caller commits only once the rejected events are dead-lettered. */
    List<Outcome> applyBatch(Connection connection, String eventsJsonArray) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(NamedQueries.get("apply_batch"))) {
            ps.setString(1, eventsJsonArray);
            try (ResultSet rs = ps.executeQuery()) {
                List<Outcome> outcomes = new ArrayList<>();
                while (rs.next()) {
                    outcomes.add(new Outcome(rs.getObject("event_id", UUID.class), rs.getString("user_id"),
                            rs.getString("result"), rs.getObject("match_id", UUID.class), rs.getString("partner_id"),
                            rs.getString("detail")));
                }
                return outcomes;
            }
        }
    }

    /** Records events that changed nothing ({@code record_event_results.sql}), in a transaction of its own. */
    void recordEventResults(String resultsJsonArray) throws SQLException {
        try (Connection connection = Transactions.begin(dataSource);
             PreparedStatement ps = connection.prepareStatement(NamedQueries.get("record_event_results"))) {
            ps.setString(1, resultsJsonArray);
            ps.execute();
            connection.commit();
        }
    }

    /** Matches {@code userIds} again in a transaction of its own. */
    List<Outcome> processMatching(Collection<String> userIds) throws SQLException {
        return matchingTransaction("process_matching",
                (connection, ps) -> ps.setArray(1, connection.createArrayOf("text", userIds.toArray())));
    }

    /**
     * Expires at most {@code limit} spins that waited past {@code timeout} (the database's
     * settings.spin_timeout when empty); returns how many.
     */
    int expireSpins(int limit, Optional<Duration> timeout) throws SQLException {
        try (Connection connection = Transactions.begin(dataSource);
             PreparedStatement ps = connection.prepareStatement(NamedQueries.get("expire_spins"))) {
            ps.setInt(1, limit);
            ps.setObject(2, timeout.map(Duration::toMillis).orElse(null), Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int expired = rs.getInt(1);
                connection.commit();
                return expired;
            }
        }
    }

    /** One round of {@code spin.prune_history}: rows deleted by kind, committed. */
    Map<String, Integer> pruneHistory(int limit) throws SQLException {
        try (Connection connection = Transactions.begin(dataSource);
             PreparedStatement ps = connection.prepareStatement(NamedQueries.get("prune_history"))) {
            ps.setInt(1, limit);
            Map<String, Integer> pruned = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pruned.put(rs.getString("kind"), rs.getInt("pruned"));
                }
            }
            connection.commit();
            return pruned;
        }
    }

    /** The stranded-user sweep in a transaction of its own: one outcome per user it found. */
    List<Outcome> matchStranded(Duration grace, int limit) throws SQLException {
        return matchingTransaction("match_stranded", (connection, ps) -> {
            ps.setLong(1, grace.toMillis());
            ps.setInt(2, limit);
        });
    }

    private interface Parameters {
        void set(Connection connection, PreparedStatement ps) throws SQLException;
    }

    /** Runs a named matching query in a transaction of its own and reads one outcome per row. */
    private List<Outcome> matchingTransaction(String query, Parameters parameters) throws SQLException {
        try (Connection connection = Transactions.begin(dataSource)) {
            try (PreparedStatement ps = connection.prepareStatement(NamedQueries.get(query))) {
                parameters.set(connection, ps);
                List<Outcome> outcomes = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        outcomes.add(new Outcome(null, rs.getString("user_id"), rs.getString("result"),
                                rs.getObject("match_id", UUID.class), rs.getString("partner_id"), null));
                    }
                }
                connection.commit();
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    long relayBacklog() throws SQLException {
        try (Connection connection = Transactions.begin(dataSource);
             PreparedStatement ps = connection.prepareStatement(NamedQueries.get("relay_backlog"));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long backlog = rs.getLong(1);
            connection.commit();
            return backlog;
        }
    }

    boolean reachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }
}
