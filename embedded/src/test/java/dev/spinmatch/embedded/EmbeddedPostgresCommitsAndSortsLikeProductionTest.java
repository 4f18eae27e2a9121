package dev.spinmatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.common.Settings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Benchmarks on the embedded server are only honest if it commits like production (zonky's own
 * default is synchronous_commit off), and replays only agree across machines if it sorts user ids
 * the same whatever the machine's locale: byte order, the C collation CloudNativePG uses.
 */
class EmbeddedPostgresCommitsAndSortsLikeProductionTest {

    @Test
    void defaultServerWaitsForItsWalFlushAndComparesTextByBytes() throws SQLException {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Options.from(new Settings(Map.of(), new Properties())));
             Connection c = pg.dataSource("postgres").getConnection()) {
            assertThat(text(c, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(text(c, "SHOW fsync")).isEqualTo("on");
            assertThat(text(c, "SELECT datcollate || ' ' || datctype || ' ' || pg_encoding_to_char(encoding)"
                    + " FROM pg_database WHERE datname = current_database()")).isEqualTo("C C UTF8");
            assertThat(text(c, "SELECT string_agg(id, ',' ORDER BY id) FROM (VALUES ('bob'), ('Zoe'), ('alice'), ('Émile')) v(id)"))
                    .isEqualTo("Zoe,alice,bob,Émile");
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
