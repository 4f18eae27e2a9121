package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceContextTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void traceparentWins() {
        assertThat(TraceContext.resolve("00-" + TRACE + "-00f067aa0ba902b7-01", "req-1")).isEqualTo(TRACE);
    }

    @Test
    void requestIdWhenNoTraceparent() {
        assertThat(TraceContext.resolve(null, "req-1")).isEqualTo("req-1");
    }

    @Test
    void malformedHeadersAreIgnoredAndAnIdIsGenerated() {
        assertThat(TraceContext.resolve("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01", "has space"))
                .matches("[0-9a-f]{32}");
        assertThat(TraceContext.resolve("garbage", "x".repeat(200))).matches("[0-9a-f]{32}");
        assertThat(TraceContext.resolve(null, null)).matches("[0-9a-f]{32}");
    }
}
