package dev.spinmatch.spinctl.reach;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;

/**
 * Kafka as spinctl's commands meet it: first {@link #clusterId} (fails within {@link #DEADLINE_MS} with one
 * line naming the address and the flag), then clients whose blocking calls are bounded by the same deadline
 * ({@link #clientConfig}): Kafka's defaults wait 60 s and more on a broker that does not answer.
 */
public final class KafkaReach {
    public static final int DEADLINE_MS = 5_000;
    public static final String FLAG = "--kafka or SPINMATCH_KAFKA_BOOTSTRAP";

    private KafkaReach() {
    }

    /** Client settings for {@code bootstrap} with every blocking call bounded; add the client's own on top. */
    public static Map<String, Object> clientConfig(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, DEADLINE_MS);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, DEADLINE_MS);
        config.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 2_000);
        config.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 4_000);
        config.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return config;
    }

    /** {@link #clientConfig} for a producer: its sends and metadata waits bounded too. */
    public static Map<String, Object> producerConfig(String bootstrap) {
        Map<String, Object> config = clientConfig(bootstrap);
        config.remove(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEADLINE_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DEADLINE_MS + 1_000);
        return config;
    }

    /** The cluster's id; {@link Unreachable} when no broker at {@code bootstrap} answers within the deadline. */
    public static String clusterId(String bootstrap) {
        Map<String, Object> config = clientConfig(bootstrap);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "spinctl-probe");
        Admin admin = null;
        try {
            admin = Admin.create(config);
            return admin.describeCluster().clusterId().get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new Unreachable("Kafka", bootstrap, FLAG,
                    e instanceof TimeoutException ? new TimeoutException("no answer in " + DEADLINE_MS + " ms") : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("Kafka", bootstrap, FLAG, e);
        } finally {
            if (admin != null) {
                admin.close(Duration.ZERO); // abandons a call still pending: close() would wait it out
            }
        }
    }
}
