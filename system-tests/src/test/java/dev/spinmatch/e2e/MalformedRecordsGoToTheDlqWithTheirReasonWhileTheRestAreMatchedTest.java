package dev.spinmatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.testkit.PipelineAudit;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A producer that bypasses the API writes garbage between real spins: bad JSON, a join without its
 * spinId, an unknown event type. Each must land in spin.requests.dlq with its reason and origin, and
 * must neither block its partition nor stop the spins around it from being matched.
 */
class MalformedRecordsGoToTheDlqWithTheirReasonWhileTheRestAreMatchedTest {
    private static final int USERS = 200;

    @Test
    void poisonRecordsAreDeadLetteredWithReasonAndEverySpinAroundThemIsProcessed() throws Exception {
        try (SpinSystem system = new SpinSystem(3, 3);
             SimulatedUsers users = new SimulatedUsers(system, USERS, 0, 0)) {
            String bad = system.user(9_001);
            RecordMetadata badJson = system.sendRaw(bad, "{not json");
            RecordMetadata missingSpinId = system.sendRaw(bad, "{\"type\":\"join_queue\",\"v\":1,\"eventId\":\""
                    + UUID.randomUUID() + "\",\"userId\":\"" + bad + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}");
            assertThat(users.run(Duration.ofMinutes(1))).as("every user spun").isTrue();
            RecordMetadata unknownType = system.sendRaw(bad, "{\"type\":\"teleport\",\"v\":1,\"eventId\":\""
                    + UUID.randomUUID() + "\",\"userId\":\"" + bad + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}");
            assertThat(users.failures()).as("requests not answered 2xx").isEmpty();
            system.awaitQuiescence();
            assertThat(users.cancel(system.openSpins(), Duration.ofMinutes(1))).as("every waiting user cancelled").isTrue();
            system.awaitQuiescence();

            Map<String, ConsumerRecord<byte[], byte[]>> dead = system.dlqRecords(3).stream().collect(Collectors.toMap(
                    r -> SpinSystem.header(r, "original.partition") + "@" + SpinSystem.header(r, "original.offset"), r -> r));
            assertThat(dead).containsOnlyKeys(origin(badJson), origin(missingSpinId), origin(unknownType));
            assertThat(SpinSystem.header(dead.get(origin(badJson)), "field")).isEqualTo("value");
            assertThat(SpinSystem.header(dead.get(origin(missingSpinId)), "field")).isEqualTo("spinId");
            assertThat(SpinSystem.header(dead.get(origin(unknownType)), "field")).isEqualTo("type");
            assertThat(dead.values()).allSatisfy(r -> {
                assertThat(SpinSystem.header(r, "reason")).isNotBlank();
                assertThat(SpinSystem.header(r, "original.topic")).isEqualTo(system.requests);
                assertThat(SpinSystem.key(r)).isEqualTo(bad);
            });

            new PipelineAudit(system).allChecks(users.accepted()).assertNoProblems();
            assertThat(users.accepted()).hasSize(USERS);
            assertThat(system.count("SELECT count(*) FROM spin.spins WHERE outcome = 'matched'"))
                    .as("spins matched around the poison").isGreaterThanOrEqualTo(USERS - 4);
            assertThat(system.strings("SELECT DISTINCT user_id FROM spin.spins WHERE user_id = '" + bad + "'")).isEmpty();
        }
    }

    private static String origin(RecordMetadata m) {
        return m.partition() + "@" + m.offset();
    }
}
