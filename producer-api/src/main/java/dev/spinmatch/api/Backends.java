package dev.spinmatch.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spinmatch.common.Settings;
import dev.spinmatch.publisher.SpinPublisher;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API talks to: the publisher (Kafka), the state store (PostgreSQL), the workers' progress (Kafka's
 * Admin API), their readiness probes.
 */
record Backends(SpinPublisher publisher, StateStore state, Map<String, Probe> probes, List<AutoCloseable> resources,
        DashboardSource dashboard, WorkerProgress progress) {
    private static final Logger log = LoggerFactory.getLogger(Backends.class);
    private static final int PROBE_TIMEOUT_MS = 2000;

    /** Backends without a dashboard (tests that need no figures). */
    Backends(SpinPublisher publisher, StateStore state, Map<String, Probe> probes, List<AutoCloseable> resources) {
        this(publisher, state, probes, resources, DashboardSource.NONE, WorkerProgress.UNKNOWN);
    }

    /** Connects to the configured Kafka and PostgreSQL; neither needs to be up yet (see /readyz). */
    static Backends connect(ApiOptions options) {
        String bootstrap = options.kafkaBootstrap().orElseThrow(() -> unset("kafka.bootstrap"));
        HikariDataSource db = dataSource(options);
        Admin admin = Admin.create(adminProperties(bootstrap, options.kafkaClientConfig()));
        Probe kafka = () -> admin.describeTopics(List.of(options.requestsTopic())).allTopicNames()
                .get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Probe postgres = () -> {
            try (Connection connection = db.getConnection()) {
                if (!connection.isValid(PROBE_TIMEOUT_MS / 1000)) {
                    throw new IllegalStateException("connection not valid");
                }
            }
        };
        return new Backends(new SpinPublisher(options.publisherOptions(bootstrap)), new JdbcStateStore(db),
                Map.of("kafka", kafka, "db", postgres), List.of(admin, db),
                new DashboardStats(new DashboardQueries(db), new WorkerGroup(admin, options.workerGroupId())),
                new CommittedOffsets(admin, options.workerGroupId()));
    }

    /** Flushes and closes the publisher (sends still unacknowledged after {@code timeout} fail), then the rest. */
    void close(Duration timeout) {
        publisher.close(timeout);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
    }

    private static HikariDataSource dataSource(ApiOptions options) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("api-db");
        config.setJdbcUrl(options.dbUrl().orElseThrow(() -> unset("db.url")));
        config.setUsername(options.dbUser());
        config.setPassword(options.dbPassword());
        config.setMaximumPoolSize(options.dbPoolSize());
        config.setReadOnly(true);
        config.setConnectionTimeout(PROBE_TIMEOUT_MS);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private static Properties adminProperties(String bootstrap, Map<String, String> clientConfig) {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "spinmatch-api-readiness");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(PROBE_TIMEOUT_MS));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(PROBE_TIMEOUT_MS));
        return p;
    }

    private static IllegalArgumentException unset(String key) {
        return new IllegalArgumentException(key + " is not set (" + Settings.environmentName(key) + ")");
    }
}
