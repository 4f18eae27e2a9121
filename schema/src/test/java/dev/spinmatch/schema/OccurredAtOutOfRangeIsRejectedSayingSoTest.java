package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A caller of apply_batch that bypasses the event codec (psql, a tool) with a well-formed but
 * impossible occurredAt must hear what is wrong with it, not "must be an ISO-8601 timestamp".
 */
class OccurredAtOutOfRangeIsRejectedSayingSoTest extends SpinDatabase {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "300000-01-01T00:00:00Z | out of range",
        "2026-02-30T00:00:00Z   | out of range",
        "yesterday noon         | invalid input syntax",
    })
    void rejectionNamesWhatIsWrongWithTheTimestamp(String occurredAt, String reason) {
        String event = "{\"type\":\"leave_queue\",\"v\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"alice\","
                + "\"spinId\":\"" + UUID.randomUUID() + "\",\"occurredAt\":\"" + occurredAt + "\"}";
        List<Map<String, Object>> rows = sql.rows("SELECT * FROM spin.apply_batch(?::jsonb)", Events.array(List.of(event)));
        assertThat(rows).extracting(r -> r.get("result")).containsExactly("rejected");
        assertThat((String) rows.get(0).get("detail")).startsWith("invalid occurredAt: ").contains(reason)
                .contains(occurredAt);
    }
}
