package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.embedded.TestDatabases.TestDatabase;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.MatchCreated;
import dev.spinmatch.events.MatchEnded;
import dev.spinmatch.events.MatchEvent;
import dev.spinmatch.events.SpinCancelled;
import dev.spinmatch.events.SpinExpired;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay publishes the payloads the SQL functions write, byte for byte; consumers decode
 * them with the strict {@link EventCodec}. A field the database adds and the codec does not know
 * (match_ended once carried partnerId and endedBy the codec rejected) makes every consumer drop the
 * event. Each outcome is produced for real here and decoded.
 */
class OutboxPayloadsDecodeWithTheEventCodecTest {
    @Test
    void everyOutcomeTheDatabaseAnnouncesDecodes() throws Exception {
        try (TestDatabase db = SpinDatabase.create(); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("select spin.join_queue('ann', 'p', '" + UUID.randomUUID() + "')");
            s.execute("select spin.join_queue('bob', 'p', '" + UUID.randomUUID() + "')");
            s.execute("select * from spin.process_matching(array['ann', 'bob'])");
            s.execute("select spin.end_match(match_id, 'ann') from spin.matches where active");
            UUID cancelled = UUID.randomUUID();
            s.execute("select spin.join_queue('cid', 'q', '" + cancelled + "')");
            s.execute("select spin.leave_queue('cid', '" + cancelled + "')");
            s.execute("select spin.join_queue('dan', 'r', '" + UUID.randomUUID() + "')");
            s.execute("update spin.settings set spin_timeout = interval '1 millisecond'");
            Thread.sleep(10);
            s.execute("select spin.expire_spins()");

            List<MatchEvent> events = new ArrayList<>();
            EventCodec codec = new EventCodec();
            try (ResultSet rs = s.executeQuery("select payload::text from spin.outbox order by id")) {
                while (rs.next()) {
                    events.add(codec.decodeMatchEvent(rs.getString(1).getBytes(StandardCharsets.UTF_8)));
                }
            }
            assertThat(events).hasOnlyElementsOfTypes(MatchCreated.class, MatchEnded.class, SpinCancelled.class,
                    SpinExpired.class);
            assertThat(events).filteredOn(e -> e instanceof MatchCreated).hasSize(2);
            assertThat(events).filteredOn(e -> e instanceof MatchEnded).hasSize(2)
                    .allSatisfy(e -> assertThat(((MatchEnded) e).endedBy()).isEqualTo("ann"));
            assertThat(events).filteredOn(e -> e instanceof SpinCancelled).hasSize(1);
            assertThat(events).filteredOn(e -> e instanceof SpinExpired).hasSize(1);
        }
    }
}
