package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spinmatch.events.JoinQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A batch the database keeps failing must not stall its partition: a transient failure (a deadlock)
 * is retried with backoff and then commits whole; an event the database fails on every time is
 * found by splitting the batch and dead-lettered with the error while the rest commit; and when the
 * database fails every event (a plain join too), it is at fault, not the events: nothing is
 * dead-lettered, nothing committed, until it works again. A trigger on spin.spins raises the failures.
 */
class EventTheDatabaseFailsOnNeverStallsItsBatchTest {
    private static final int USERS = 20;

    @Test
    void deadlockedBatchIsRetriedAndCommitsWhole() throws Exception {
        try (Pipeline p = new Pipeline(1)) {
            p.execute("CREATE SEQUENCE public.failures");
            failWhen(p, "nextval('public.failures') <= 2", "40P01");
            sendJoins(p);
            Worker worker = p.startWorker("w1");

            p.awaitQuiescence(USERS);
            assertThat(Pipeline.metric(worker, "spinmatch_batch_failures_total")).isEqualTo(2);
            assertThat(Pipeline.metric(worker, "spinmatch_batch_splits_total")).isZero();
            assertThat(p.dlqRecords(0)).isEmpty();
            p.assertHealthy();
        }
    }

    @Test
    void eventFailingEveryTimeIsDeadLetteredAndTheRestOfItsBatchCommits() throws Exception {
        try (Pipeline p = new Pipeline(1)) {
            String poison = p.user(USERS / 2);
            failWhen(p, "NEW.user_id = '" + poison + "'", "P0001");
            List<JoinQueue> joins = sendJoins(p);
            Worker worker = p.startWorker("w1");

            p.awaitQuiescence(USERS - 1);
            List<ConsumerRecord<byte[], byte[]>> dead = p.dlqRecords(1);
            assertThat(dead).hasSize(1);
            assertThat(Pipeline.key(dead.get(0))).isEqualTo(poison);
            assertThat(Pipeline.header(dead.get(0), "field")).isEqualTo("database");
            assertThat(Pipeline.header(dead.get(0), "reason")).contains("P0001").contains("refused for the test");
            assertThat(Pipeline.metric(worker, "spinmatch_batch_splits_total")).isPositive();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(p.committedOffsets().values())
                    .allSatisfy(o -> assertThat(o.offset()).isEqualTo(joins.size())));
            assertThat(worker.consuming()).isTrue();
            p.assertHealthy();
        }
    }

    @Test
    void whenTheDatabaseFailsEveryEventNoneIsDeadLetteredAndNothingIsCommitted() throws Exception {
        try (Pipeline p = new Pipeline(1)) {
            failWhen(p, "true", "P0001");
            sendJoins(p);
            Worker worker = p.startWorker("w1");

            await().atMost(Duration.ofSeconds(30)).until(() -> Pipeline.metric(worker, "spinmatch_batch_splits_total") >= 2);
            assertThat(p.committedOffsets()).as("nothing committed while every event fails").isEmpty();
            assertThat(p.dlqRecords(0)).as("nothing dead-lettered").isEmpty();

            p.execute("DROP TRIGGER refuse ON spin.spins");
            p.awaitQuiescence(USERS);
            assertThat(p.dlqRecords(0)).isEmpty();
            p.assertHealthy();
        }
    }

    private static List<JoinQueue> sendJoins(Pipeline p) {
        List<JoinQueue> joins = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            joins.add(p.join(p.user(i)));
        }
        p.sendAll(joins);
        return joins;
    }

    /** A trigger that makes inserting a spin fail with {@code sqlState} when {@code condition} holds. */
    private static void failWhen(Pipeline p, String condition, String sqlState) {
        p.execute("CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + condition
                + " THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = '" + sqlState + "'; END IF; RETURN NEW; END $$");
        p.execute("CREATE TRIGGER refuse BEFORE INSERT ON spin.spins FOR EACH ROW EXECUTE FUNCTION public.refuse()");
    }
}
