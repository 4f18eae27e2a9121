package dev.spinmatch.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics; used by tests (one set of topics per test) and by local runs of the processes. */
public final class KafkaTopics {
    private static final Duration LEADER_PATIENCE = Duration.ofSeconds(30);

    private KafkaTopics() {
    }

    /** A topic name no other test uses: {@code base} plus a random suffix. */
    public static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates each topic with {@code partitions} partitions and replication factor 1; existing ones are kept. */
    public static void create(String bootstrapServers, int partitions, String... topics) {
        create(bootstrapServers, partitions, (short) 1, List.of(topics));
    }

    public static void create(String bootstrapServers, int partitions, short replicationFactor, Collection<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, replicationFactor)).toList();
            admin.createTopics(missing).all().get();
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + topics, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics " + topics, e);
        }
    }

    /**
     * Returns once every partition's leader serves requests. Right after creation a partition can answer
     * NOT_LEADER_OR_FOLLOWER for a moment, and an idempotent producer writing into that moment has stalled for its
     * whole delivery timeout (out-of-order sequence after the retry). Listing offsets retries until each leader
     * answers; a broker that does not know the new partition yet (UNKNOWN_TOPIC_OR_PARTITION, not retried by the
     * admin client) is asked again, for at most {@link #LEADER_PATIENCE}.
     */
    private static void awaitLeaders(Admin admin, Collection<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + LEADER_PATIENCE.toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get().forEach((name, topic) -> topic.partitions()
                        .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
