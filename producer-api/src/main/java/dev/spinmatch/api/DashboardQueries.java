package dev.spinmatch.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The dashboard's figures that PostgreSQL holds, by the named queries of {@code dashboard.sql}. Blocking. */
final class DashboardQueries {
    private final DataSource db;
    private final NamedQueries queries = NamedQueries.load("/dashboard.sql");

    DashboardQueries(DataSource db) {
        this.db = db;
    }

    /** Waiting and matched users per pool. */
    List<Map<String, Object>> pools() throws SQLException {
        return rows("pools");
    }

    /** Matches per second and the relay's backlog. */
    Map<String, Object> rates() throws SQLException {
        return rows("rates").get(0);
    }

    /** Spin-to-match latency quantiles of the last seconds. */
    Map<String, Object> latency() throws SQLException {
        return rows("latency").get(0);
    }

    Map<String, Object> repairs() throws SQLException {
        return rows("repairs").get(0);
    }

    /** Violations by kind of the invariant checker; healthy when there are none. */
    Map<String, Object> invariants() throws SQLException {
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (Map<String, Object> row : rows("violations")) {
            byKind.put((String) row.get("kind"), row.get("count"));
        }
        return Map.of("healthy", byKind.isEmpty(), "byKind", byKind, "checkedAt", Instant.now().toString());
    }

    private List<Map<String, Object>> rows(String query) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(queries.get(query));
             ResultSet rs = s.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(JdbcStateStore.fields(rs));
            }
            return rows;
        }
    }
}
