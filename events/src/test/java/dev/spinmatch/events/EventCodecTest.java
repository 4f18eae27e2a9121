package dev.spinmatch.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {
    private static final Instant AT = Instant.parse("2026-11-29T10:15:30.123Z");
    private final EventCodec codec = new EventCodec();

    @Test
    void everyRequestEventSurvivesTheRoundTrip() {
        List<SpinRequest> events = List.of(
                new JoinQueue(UUID.randomUUID(), "u-1", UUID.randomUUID(), "eu.video", AT, "trace-1"),
                new LeaveQueue(UUID.randomUUID(), "u-1", UUID.randomUUID(), AT, null),
                new EndMatch(UUID.randomUUID(), "u-1", UUID.randomUUID(), AT, "t"));
        for (SpinRequest event : events) {
            assertThat(codec.decodeRequest(codec.encode(event))).isEqualTo(event);
        }
    }

    @Test
    void everyMatchEventSurvivesTheRoundTrip() {
        List<MatchEvent> events = List.of(
                new MatchCreated(UUID.randomUUID(), "a", UUID.randomUUID(), "b", "default", UUID.randomUUID(), AT, "t"),
                new MatchEnded(UUID.randomUUID(), "a", UUID.randomUUID(), "b", "next", null, AT, null),
                new MatchEnded(UUID.randomUUID(), "a", UUID.randomUUID(), "b", "ended", "a", AT, "t"),
                new SpinExpired(UUID.randomUUID(), "a", UUID.randomUUID(), "default", AT, "t"),
                new SpinCancelled(UUID.randomUUID(), "a", UUID.randomUUID(), "default", AT, "t"));
        for (MatchEvent event : events) {
            assertThat(codec.decodeMatchEvent(codec.encode(event))).isEqualTo(event);
        }
    }

    @Test
    void joinWithoutPoolLandsInTheDefaultPool() {
        String json = "{\"type\":\"join_queue\",\"v\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"u\","
                + "\"spinId\":\"" + UUID.randomUUID() + "\",\"occurredAt\":\"" + AT + "\"}";
        assertThat(((JoinQueue) codec.decodeRequest(json.getBytes(UTF_8))).pool()).isEqualTo("default");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json               | value      | {",
        "an array               | value      | []",
        "a duplicate key        | value      | {\"type\":\"join_queue\",\"type\":\"leave_queue\",\"v\":1}",
        "trailing tokens        | value      | {\"v\":1} {}",
        "no version             | v          | {\"type\":\"join_queue\"}",
        "another version        | v          | {\"type\":\"join_queue\",\"v\":2}",
        "unknown type           | type       | {\"type\":\"teleport\",\"v\":1}",
        "a match event as input | type       | {\"type\":\"match_created\",\"v\":1}",
        "missing userId         | userId     | {\"type\":\"leave_queue\",\"v\":1,\"eventId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"spinId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"occurredAt\":\"2026-11-29T10:15:30Z\"}",
        "numeric userId         | userId     | {\"type\":\"leave_queue\",\"v\":1,\"eventId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"userId\":42,\"spinId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"occurredAt\":\"2026-11-29T10:15:30Z\"}",
        "bad spinId             | spinId     | {\"type\":\"leave_queue\",\"v\":1,\"eventId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"userId\":\"u\",\"spinId\":\"x\",\"occurredAt\":\"2026-11-29T10:15:30Z\"}",
        "bad pool               | pool       | {\"type\":\"join_queue\",\"v\":1,\"eventId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"userId\":\"u\",\"spinId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"pool\":\"Bad Pool\",\"occurredAt\":\"2026-11-29T10:15:30Z\"}",
        "bad time               | occurredAt | {\"type\":\"leave_queue\",\"v\":1,\"eventId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"userId\":\"u\",\"spinId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"occurredAt\":\"yesterday\"}",
        "unknown field          | color      | {\"type\":\"leave_queue\",\"v\":1,\"eventId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"userId\":\"u\",\"spinId\":\"7f9c3b4e-2f41-4a8e-9c1d-0b6a5e2d1c33\",\"occurredAt\":\"2026-11-29T10:15:30Z\",\"color\":\"red\"}",
    })
    void malformedRecordIsRejectedNamingTheField(String why, String field, String json) {
        assertThatThrownBy(() -> codec.decodeRequest(json.getBytes(UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void emptyRecordIsRejected() {
        assertThatThrownBy(() -> codec.decodeRequest(new byte[0])).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> codec.decodeRequest(null)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void overlongUserIdIsRejected() {
        assertThatThrownBy(() -> EventFields.userId("x".repeat(129)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("userId"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "+300000-01-01T00:00:00Z | is out of range: +300000-01-01T00:00:00Z is not between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z",
        "-0001-12-31T00:00:00Z   | is out of range",
        "2026-02-30T00:00:00Z    | could not be parsed: Invalid date 'FEBRUARY 30'",
        "2026-01-01              | could not be parsed at index 10",
    })
    void occurredAtThatIsNoUsableInstantSaysWhatIsWrong(String occurredAt, String reason) {
        String json = "{\"type\":\"leave_queue\",\"v\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"u\","
                + "\"spinId\":\"" + UUID.randomUUID() + "\",\"occurredAt\":\"" + occurredAt + "\"}";
        assertThatThrownBy(() -> codec.decodeRequest(json.getBytes(UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.field()).isEqualTo("occurredAt");
                    assertThat(e.reason()).contains(reason);
                });
    }
}
