package dev.spinmatch.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The state read from PostgreSQL with the named queries of {@code queries.sql}. */
final class JdbcStateStore implements StateStore {
    private final DataSource dataSource;
    private final NamedQueries queries = NamedQueries.load("/queries.sql");

    JdbcStateStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Map<String, Object>> spin(UUID spinId) {
        return one("spin_by_id", spinId);
    }

    @Override
    public Optional<Map<String, Object>> user(String userId) {
        return one("user_by_id", userId);
    }

    private Optional<Map<String, Object>> one(String query, Object parameter) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(queries.get(query))) {
            statement.setObject(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(fields(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query " + query + " failed: " + e.getMessage(), e);
        }
    }

    /** Column label -> value; NULLs left out, timestamps as ISO-8601 instants, UUIDs as text. */
    static Map<String, Object> fields(ResultSet row) throws SQLException {
        ResultSetMetaData meta = row.getMetaData();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object value = row.getObject(i);
            if (value instanceof Timestamp timestamp) {
                fields.put(meta.getColumnLabel(i), timestamp.toInstant().toString());
            } else if (value != null) {
                fields.put(meta.getColumnLabel(i), value instanceof UUID ? value.toString() : value);
            }
        }
        return fields;
    }
}
