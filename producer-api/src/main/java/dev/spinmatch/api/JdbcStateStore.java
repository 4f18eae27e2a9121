package dev.spinmatch.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        return all("spin_by_id", spinId).stream().findFirst();
    }

    @Override
    public Optional<Map<String, Object>> user(String userId) {
        return all("user_by_id", userId).stream().findFirst();
    }

    @Override
    public Optional<Map<String, Object>> match(UUID matchId) {
        return all("match_by_id", matchId).stream().findFirst();
    }

    @Override
    public Optional<Map<String, Object>> eventResult(UUID eventId) {
        return all("event_result", eventId).stream().findFirst();
    }

    @Override
    public List<Map<String, Object>> notApplied(String about, UUID id) {
        return all("not_applied_to_" + about, id);
    }

    private List<Map<String, Object>> all(String query, Object parameter) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(queries.get(query))) {
            statement.setObject(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                List<Map<String, Object>> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(fields(rows));
                }
                return found;
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
