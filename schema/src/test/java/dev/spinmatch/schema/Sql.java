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

    /** A fingerprint of every table, to prove a rejected call changed nothing. */
    String snapshot() {
        return text("SELECT concat_ws('|', (SELECT count(*) FROM spin.users), (SELECT count(*) FROM spin.spins),"
                + " (SELECT count(*) FROM spin.matches), (SELECT count(*) FROM spin.outbox),"
                + " (SELECT count(*) FROM spin.decisions), (SELECT string_agg(user_id || state, ',' ORDER BY user_id) FROM spin.users))");
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
