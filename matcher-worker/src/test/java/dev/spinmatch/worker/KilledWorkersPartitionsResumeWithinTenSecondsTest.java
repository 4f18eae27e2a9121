package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A worker killed hard (SIGKILL, an OOM kill, a lost node) never leaves the group: its partitions
 * waited ~45 s, Kafka's default session timeout, before another worker took them. With the worker's
 * session timeout (6 s) and heartbeat interval (2 s), the partitions of a worker process killed with
 * SIGKILL are consumed again by the surviving worker within 10 s.
 */
class KilledWorkersPartitionsResumeWithinTenSecondsTest {
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(10);

    @Test
    void survivorConsumesTheKilledWorkersPartitionsWithinTenSeconds() throws Exception {
        try (Pipeline p = new Pipeline(6)) {
            p.startWorker("survivor");
            Process child = startWorkerProcess(p, "doomed");
            try {
                Set<TopicPartition> owned = awaitAssignment(p, "doomed");
                child.destroyForcibly();   // SIGKILL: no leave-group, no offset commit, no close
                long killed = System.nanoTime();
                int user = 0;
                Map<TopicPartition, Long> sent = new HashMap<>();
                for (TopicPartition partition : owned) {
                    JoinQueue join = p.join(p.user(user++));
                    sent.put(partition, p.send(new ProducerRecord<>(p.requests, partition.partition(),
                            join.userId().getBytes(StandardCharsets.UTF_8), new EventCodec().encode(join))).offset());
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    var committed = p.committedOffsets();
                    return sent.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() > e.getValue());
                });
                Duration gap = Duration.ofNanos(System.nanoTime() - killed);
                System.out.printf("takeover: the killed worker's %d partitions were consumed again after %.1f s%n",
                        owned.size(), gap.toMillis() / 1000.0);
                assertThat(gap).as("kill to the last of its partitions consumed again").isLessThanOrEqualTo(TAKEOVER_LIMIT);
            } finally {
                child.destroyForcibly();
            }
            p.assertHealthy();
        }
    }

    /** WorkerMain in a JVM of its own, on this JVM's class path, against the test's broker and database. */
    private static Process startWorkerProcess(Pipeline p, String workerId) throws Exception {
        Path log = Files.createTempFile("worker-" + workerId, ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "SPINMATCH_KAFKA_BOOTSTRAP", p.bootstrap,
                "SPINMATCH_DB_URL", p.db.jdbcUrl(),
                "SPINMATCH_DB_USER", p.db.user(),
                "SPINMATCH_DB_PASSWORD", p.db.password(),
                "SPINMATCH_TOPIC_REQUESTS", p.requests,
                "SPINMATCH_TOPIC_DLQ", p.dlq,
                "SPINMATCH_WORKER_GROUP_ID", p.group,
                "SPINMATCH_WORKER_ID", workerId,
                "SPINMATCH_HTTP_PORT", "0"));
        return builder.start();
    }

    /** Waits until the group is stable with {@code workerId} owning partitions; returns them. */
    private static Set<TopicPartition> awaitAssignment(Pipeline p, String workerId) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrap))) {
            return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                List<MemberDescription> members = List.copyOf(admin.describeConsumerGroups(List.of(p.group))
                        .describedGroups().get(p.group).get().members());
                return members.size() == 2 && members.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())
                        ? members.stream().filter(m -> m.clientId().equals(workerId))
                                .flatMap(m -> m.assignment().topicPartitions().stream()).collect(Collectors.toSet())
                        : Set.<TopicPartition>of();
            }, owned -> !owned.isEmpty());
        }
    }
}
