package dev.spinmatch.spinctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The embedded scratch server is made fast by turning durability off (ALTER SYSTEM), which is fine for
 * a copy thrown away at exit and never for a database the user gives with --db, which may be shared.
 */
class DurabilityOffNeverReachesAGivenDatabaseTest {
    @Test
    void givenDatabaseKeepsFullPageWrites() throws Exception {
        try (ReplayDatabases.Replayed replayed = ReplayDatabases.scratch(Replay.Options.deterministic())) {
            assertThat(setting(replayed.scratch().plain(), "full_page_writes")).isEqualTo("on");
        }
    }

    @Test
    void embeddedScratchDatabaseRunsWithoutDurability() throws Exception {
        try (ScratchDatabase scratch = ScratchDatabase.embedded()) {
            DataSource db = scratch.plain();
            assertThat(setting(db, "fsync")).isEqualTo("off");
            assertThat(setting(db, "full_page_writes")).isEqualTo("off");
            assertThat(setting(db, "synchronous_commit")).isEqualTo("off");
        }
    }

    private static String setting(DataSource db, String name) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
