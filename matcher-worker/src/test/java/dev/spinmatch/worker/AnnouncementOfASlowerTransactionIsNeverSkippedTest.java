package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Transaction ids are handed out at a transaction's first write, not at its commit: a transaction that
 * started writing earlier can commit after a later one the relay already published. A relay that moved its
 * cursor past the published transaction would never announce the slower one's match. The cursor may only
 * move up to the horizon, below which every transaction has ended.
 */
class AnnouncementOfASlowerTransactionIsNeverSkippedTest {

    @Test
    void matchCommittedAfterALaterTransactionsMatchIsStillAnnounced() throws Exception {
        try (Pipeline p = new Pipeline(1)) {
            WorkerOptions options = p.options("relay", Map.of());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(options.kafkaClientConfig(),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                AnnouncementRelay relay = new AnnouncementRelay(p.dataSource, producer, new WorkerMetrics(new SimpleMeterRegistry()), options);
                try (Connection slow = p.db.connect(); Statement st = slow.createStatement()) {
                    slow.setAutoCommit(false);
                    st.execute("SELECT spin.xid()");   // the slower transaction has the smaller id
                    TwoRelaysPublishEveryAnnouncementOnceTest.makeMatches(p, 0, 2);
                    st.execute("SELECT spin.join_queue('" + p.user(2) + "', 'default', gen_random_uuid())");
                    st.execute("SELECT spin.join_queue('" + p.user(3) + "', 'default', gen_random_uuid())");
                    st.execute("SELECT * FROM spin.process_matching(ARRAY['" + p.user(2) + "', '" + p.user(3) + "'])");

                    assertThat(relay.relayOnce()).as("the later match waits for the slower transaction").isZero();
                    slow.commit();
                }
                assertThat(relay.relayOnce()).isEqualTo(4);
                assertThat(relay.relayOnce()).isZero();
            }
            assertThat(p.matchRecords(4)).extracting(Pipeline::key)
                    .containsExactlyInAnyOrderElementsOf(List.of(p.user(0), p.user(1), p.user(2), p.user(3)));
            assertThat(p.relayBacklog()).isZero();
        }
    }
}
