package dev.spinmatch.worker;

import dev.spinmatch.common.Settings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a matcher worker is configured with, read once from {@link Settings}. Every key, its
 * environment variable and its default are listed in docs/CONFIGURATION.md.
 *
 * <p>{@code batchMaxRecords} is bounded by PostgreSQL's shared lock table: each user in a batch takes
 * about two advisory locks (its own and its partner's) until the batch commits, and the whole server
 * has {@code max_locks_per_transaction x max_connections} slots (6,400 by default). Keep
 * {@code 2 x batchMaxRecords x workers} well below that.
 *
 * @param kafkaBootstrap Kafka bootstrap servers; empty means "start an embedded broker" (local runs only)
 * @param kafkaSaslJaas the JAAS line for SASL (a secret: comes from the environment, never logged)
 * @param dbUrl JDBC URL of PostgreSQL; empty means "start an embedded database" (local runs only)
 * @param strandedSweepInterval how often this worker runs the stranded-user sweep; zero disables it
 * @param repairInterval how often this worker tries to run the repair job (one worker of the fleet
 *     at a time, by lease); zero disables it
 * @param spinTimeout how long a spin may wait before it expires; empty means the database's
 *     {@code spin.settings.spin_timeout} (60 s)
 * @param repairSlice how many active matches one repair run checks (the walk continues where the last
 *     run stopped); empty means the database's {@code spin.settings.repair_slice} (1000)
 * @param pruneInterval how often this worker deletes history older than the database's
 *     {@code spin.settings.history_retention} (7 days); zero disables it
 * @param pruneBatchSize rows of each history kind deleted per round (one transaction)
 * @param batchRetryAttempts tries of a batch transaction that conflicts with others (deadlock,
 *     serialization) before it is split to find the event that fails it
 * @param sessionTimeout how long the group waits for a silent worker (killed, partitioned) before its
 *     partitions go to the others; the broker's {@code group.min.session.timeout.ms} (6 s) is the floor
 * @param heartbeatInterval how often the consumer tells the group it is alive; at most a third of the
 *     session timeout
 * @param groupInstanceId static group membership: a stable id per worker (a StatefulSet pod name), so
 *     a restarted worker with the same id takes its partitions back without a rebalance; empty means
 *     dynamic membership (a Deployment's pods have no stable names)
 */
public record WorkerOptions(
        Optional<String> kafkaBootstrap,
        String kafkaSecurityProtocol,
        Optional<String> kafkaSaslMechanism,
        Optional<String> kafkaSaslJaas,
        String groupId,
        String requestsTopic,
        String matchesTopic,
        String dlqTopic,
        String workerId,
        int batchMaxRecords,
        Duration pollTimeout,
        int contentionRetryAttempts,
        Duration contentionRetryBackoff,
        Duration dbRetryBackoffMax,
        Optional<String> dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        int httpPort,
        int relayBatchSize,
        Duration relayInterval,
        Duration expiryInterval,
        int expiryBatchSize,
        Duration shutdownGrace,
        Duration strandedSweepInterval,
        Duration strandedSweepGrace,
        Duration repairInterval,
        Duration repairLeaseTtl,
        Optional<Duration> spinTimeout,
        Optional<Integer> repairSlice,
        Duration pruneInterval,
        int pruneBatchSize,
        int batchRetryAttempts,
        Duration sessionTimeout,
        Duration heartbeatInterval,
        Optional<String> groupInstanceId) {

    public static WorkerOptions from(Settings s) {
        return new WorkerOptions(
                s.optional("kafka.bootstrap"),
                s.string("kafka.security.protocol", "PLAINTEXT"),
                s.optional("kafka.sasl.mechanism"),
                s.optional("kafka.sasl.jaas"),
                s.string("worker.group.id", "spinmatch-workers"),
                s.string("topic.requests", "spin.requests"),
                s.string("topic.matches", "spin.matches"),
                s.string("topic.dlq", "spin.requests.dlq"),
                s.string("worker.id", defaultWorkerId()),
                s.integer("worker.batch.max.records", 200),
                s.duration("worker.poll.timeout", Duration.ofMillis(100)),
                s.integer("worker.contention.retry.attempts", 5),
                s.duration("worker.contention.retry.backoff", Duration.ofMillis(5)),
                s.duration("worker.db.retry.backoff.max", Duration.ofSeconds(5)),
                s.optional("db.url"),
                s.string("db.user", "postgres"),
                s.string("db.password", "postgres"),
                s.integer("db.pool.size", 4),
                s.integer("http.port", 8081),
                s.integer("worker.relay.batch.size", 500),
                s.duration("worker.relay.interval", Duration.ofMillis(100)),
                s.duration("worker.expiry.interval", Duration.ofSeconds(1)),
                s.integer("worker.expiry.batch.size", 1000),
                s.duration("worker.shutdown.grace", Duration.ofSeconds(20)),
                s.duration("worker.stranded.sweep.interval", Duration.ofMillis(250)),
                s.duration("worker.stranded.sweep.grace", Duration.ofMillis(100)),
                s.duration("worker.repair.interval", Duration.ofSeconds(5)),
                s.duration("worker.repair.lease.ttl", Duration.ofSeconds(15)),
                s.optional("worker.spin.timeout").map(v -> s.duration("worker.spin.timeout", Duration.ZERO)),
                // checked here, at start-up: the database would refuse it only at the first repair run
                s.positiveInteger("worker.repair.slice"),
                s.duration("worker.prune.interval", Duration.ofMinutes(1)),
                s.positiveInteger("worker.prune.batch.size").orElse(5000),
                s.positiveInteger("worker.batch.retry.attempts").orElse(3),
                s.duration("worker.session.timeout", Duration.ofSeconds(6)),
                s.duration("worker.heartbeat.interval", Duration.ofSeconds(2)),
                s.optional("worker.group.instance.id"));
    }

    /** A copy that talks to the given broker and database (used by local runs and tests). */
    public WorkerOptions withEndpoints(String bootstrap, String url, String user, String password) {
        return new WorkerOptions(Optional.of(bootstrap), kafkaSecurityProtocol, kafkaSaslMechanism, kafkaSaslJaas, groupId, requestsTopic, matchesTopic, dlqTopic, workerId,
                batchMaxRecords, pollTimeout, contentionRetryAttempts, contentionRetryBackoff, dbRetryBackoffMax,
                Optional.of(url), user, password, dbPoolSize, httpPort, relayBatchSize, relayInterval, expiryInterval,
                expiryBatchSize, shutdownGrace, strandedSweepInterval, strandedSweepGrace, repairInterval,
                repairLeaseTtl, spinTimeout, repairSlice, pruneInterval, pruneBatchSize, batchRetryAttempts,
                sessionTimeout, heartbeatInterval, groupInstanceId);
    }

    /** Connection settings every Kafka client of the worker shares. */
    public Map<String, Object> kafkaClientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", kafkaBootstrap.orElseThrow(() -> new IllegalStateException("kafka.bootstrap is not set")));
        config.put("security.protocol", kafkaSecurityProtocol);
        kafkaSaslMechanism.ifPresent(m -> config.put("sasl.mechanism", m));
        kafkaSaslJaas.ifPresent(j -> config.put("sasl.jaas.config", j));
        return config;
    }

    private static String defaultWorkerId() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("worker");
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
