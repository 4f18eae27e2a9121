package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A dashboard polls the checker every few seconds: over the whole history its cost grows with every match ever
 * made. With a window it reads the live state and the recent history only, and still finds what breaks the live
 * state or the window.
 */
class CheckerOverAWindowReadsOnlyLiveStateAndRecentHistoryTest extends SpinDatabase {

    private long windowed(String kind) {
        return sql.count("SELECT count(*) FROM spin.invariant_violations(interval '1 second', now() - interval '10 minutes')"
                + " WHERE kind = ?", kind);
    }

    @Test
    void oldHistoryIsLeftOutAndLiveOrRecentTroubleIsFound() throws SQLException {
        Object old = matchAliceWithBob();
        sql.exec("SELECT spin.end_match(?, 'alice')", old);
        sql.exec("UPDATE spin.spins SET pool = 'games' WHERE user_id = 'bob'");   // a broken, ended match...
        HistoryClock.back(sql.connection, 1);                                      // ...of yesterday
        assertThat(sql.violations()).extracting(r -> r.get("kind")).containsExactly("match_spins_mismatch");
        assertThat(windowed("match_spins_mismatch")).as("outside the window").isZero();

        sql.join("carol", "lobby", spin());
        sql.join("dave", "lobby", spin());
        Object live = sql.match("carol").get(0).get("match_id");
        sql.exec("UPDATE spin.spins SET live = NULL WHERE user_id = 'dave'");      // breaks the active match
        assertThat(windowed("match_spins_mismatch")).as("an active match is always checked").isEqualTo(1);
        sql.exec("SELECT spin.end_match(?)", live);

        sql.join("erin", "lobby", spin());
        sql.join("frank", "lobby", spin());
        assertThat(sql.count("SELECT count(*) FROM spin.invariant_violations(interval '0', now() - interval '10 minutes')"
                + " WHERE kind = 'stranded'")).as("waiting users are always checked").isEqualTo(2);
    }
}
