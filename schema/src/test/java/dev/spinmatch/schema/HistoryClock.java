package dev.spinmatch.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Moves every timestamp of the history tables back, so tests and benchmarks can make history old without waiting. */
public final class HistoryClock {
    private HistoryClock() {
    }

    /** Everything written so far now happened {@code days} days earlier (in the connection's transaction, if one is open). */
    public static void back(Connection connection, int days) throws SQLException {
        String back = " - interval '" + days + " days'";
        try (Statement st = connection.createStatement()) {
            st.execute("UPDATE spin.spins SET created_at = created_at" + back + ", closed_at = closed_at" + back);
            st.execute("UPDATE spin.matches SET created_at = created_at" + back + ", ended_at = ended_at" + back);
            st.execute("UPDATE spin.event_results SET recorded_at = recorded_at" + back);
            st.execute("UPDATE spin.repair_log SET at = at" + back);
        }
    }
}
