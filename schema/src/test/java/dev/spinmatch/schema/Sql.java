package dev.spinmatch.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Small JDBC helper for tests: run a statement with parameters, read rows as maps. */
final class Sql implements AutoCloseable {
    final Connection connection;

    Sql(Connection connection) {
        this.connection = connection;
    }

    List<Map<String, Object>> rows(String sql, Object... args) {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            if (!st.execute()) {
                return List.of();
            }
            try (ResultSet rs = st.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= md.getColumnCount(); c++) {
                        row.put(md.getColumnLabel(c), rs.getObject(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    Object value(String sql, Object... args) {
        List<Map<String, Object>> rows = rows(sql, args);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    String text(String sql, Object... args) {
        Object v = value(sql, args);
        return v == null ? null : v.toString();
    }

    long count(String sql, Object... args) {
        return ((Number) value(sql, args)).longValue();
    }

    void exec(String sql, Object... args) {
        rows(sql, args);
    }

    String join(String user, String pool, UUID spin) {
        return text("SELECT spin.join_queue(?, ?, ?)", user, pool, spin);
    }

    List<Map<String, Object>> match(String... users) {
        return rows("SELECT * FROM spin.process_matching(?)", (Object) array(users));
    }

    java.sql.Array array(String... values) {
        try {
            return connection.createArrayOf("text", values);
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    List<Map<String, Object>> violations() {
        return rows("SELECT * FROM spin.invariant_violations(interval '0')");
    }

    /** A fingerprint of the state tables, to prove a rejected call changed nothing. */
    String snapshot() {
        return text("SELECT concat_ws('|', (SELECT count(*) FROM spin.spins), (SELECT count(*) FROM spin.matches),"
                + " (SELECT count(*) FROM spin.matches WHERE ended_at IS NULL),"
                + " (SELECT string_agg(user_id || coalesce(outcome, 'waiting'), ',' ORDER BY user_id) FROM spin.spins WHERE live))");
    }

    /** What the relay would publish now for every committed transaction: spin.announcements from the start. */
    List<Map<String, Object>> announcements() {
        return rows("SELECT * FROM spin.announcements(0, spin.relay_horizon())");
    }

    /** The partner of a user's latest match (active or not), NULL when never matched. */
    String partnerOf(String user) {
        return text("SELECT CASE WHEN m.user_a = ? THEN m.user_b ELSE m.user_a END FROM spin.matches m"
                + " WHERE ? IN (m.user_a, m.user_b) ORDER BY m.created_at DESC LIMIT 1", user, user);
    }

    /** A user's live state as the API tells it: waiting, matched or idle. */
    String state(String user) {
        return text("SELECT coalesce((SELECT CASE WHEN outcome IS NULL THEN 'waiting' ELSE 'matched' END"
                + " FROM spin.spins WHERE user_id = ? AND live), 'idle')", user);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** An SQL error with its SQLSTATE, unchecked. */
    static final class SqlFailure extends RuntimeException {
        final String sqlState;

        SqlFailure(SQLException e) {
            super(e.getMessage(), e);
            this.sqlState = e.getSQLState();
        }
    }
}
