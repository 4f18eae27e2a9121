package dev.spinmatch.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A trace id the API makes up must be accepted by every W3C traceparent consumer: 32 lowercase hex digits, not all zero. */
class GeneratedTraceIdsAreW3cTraceIdsTest {
    @Test
    void everyIdIs32LowercaseHexDigitsNotAllZeroAndUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = TraceIds.generate();
            assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }
}
