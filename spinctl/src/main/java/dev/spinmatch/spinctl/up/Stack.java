package dev.spinmatch.spinctl.up;

import dev.spinmatch.api.ApiOptions;
import dev.spinmatch.api.ApiServer;
import dev.spinmatch.common.Settings;
import dev.spinmatch.embedded.EmbeddedKafka;
import dev.spinmatch.embedded.EmbeddedPostgres;
import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.schema.Migrations;
import dev.spinmatch.spinctl.reach.DatabaseReach;
import dev.spinmatch.spinctl.reach.KafkaReach;
import dev.spinmatch.worker.Worker;
import dev.spinmatch.worker.WorkerOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The whole system in one JVM, the one place a local stack starts: PostgreSQL and Kafka (embedded unless
 * given; a given one is probed first and named when out of reach), migrations, topics, the producer-api and N
 * matcher workers. Each worker is an isolated instance with its own consumer (one member of the group),
 * producer, connection pool and metrics port, as separate processes would have. {@link #close()} stops them in
 * the order that lets each finish its work ({@link StackStop}).
 */
public final class Stack implements AutoCloseable {
    private final Settings base = Settings.fromEnvironment();
    private final List<Worker> workers = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private EmbeddedKafka kafka;
    private ApiServer api;
    private String kafkaBootstrap;
    private String dbUrl;
    private String dbUser;
    private String dbPassword;

    private Stack() {
    }

    /** Starts everything; on a failure, stops what already started and rethrows. */
    public static Stack start(StackOptions options, PrintStream log) {
        ApiPort.requireFree(options.apiPort());
        Stack stack = new Stack();
        try {
            stack.startDatabase(options, log);
            stack.startKafka(options, log);
            stack.startApi(options, log);
            for (int i = 1; i <= options.workers(); i++) {
                stack.startWorker(i, log);
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public String dbUrl() {
        return dbUrl;
    }

    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public ApiServer api() {
        return api;
    }

    public List<Worker> workers() {
        return List.copyOf(workers);
    }

    public String matchesTopic() {
        return base.string("topic.matches", "spin.matches");
    }

    private void startDatabase(StackOptions options, PrintStream log) {
        if (options.dbUrl().isPresent()) {
            dbUrl = options.dbUrl().get();
            dbUser = options.dbUser();
            dbPassword = options.dbPassword();
            DatabaseReach.check(DatabaseReach.dataSource(dbUrl, dbUser, dbPassword), dbUrl,
                    "--db or SPINMATCH_DB_URL (user: --db-user, --db-password)");
        } else {
            log.println("starting embedded PostgreSQL...");
            // Its own shutdown hook would stop it at the signal, under workers still writing: close() stops it last.
            postgres = EmbeddedPostgres.start(EmbeddedPostgres.Options.from(base).withoutShutdownHook());
            dbUrl = postgres.jdbcUrl("postgres");
            dbUser = EmbeddedPostgres.USER;
            dbPassword = "";
        }
        int applied = Migrations.migrate(DatabaseReach.dataSource(dbUrl, dbUser, dbPassword));
        if (postgres != null) {
            postgres.checkpoint(); // the migrations' pages are written now, not by the shutdown checkpoint at stop
        }
        log.printf("database ready (%d migrations applied)%n", applied);
    }

    private void startKafka(StackOptions options, PrintStream log) {
        if (options.kafkaBootstrap().isPresent()) {
            kafkaBootstrap = options.kafkaBootstrap().get();
            KafkaReach.clusterId(kafkaBootstrap);
        } else {
            log.println("starting embedded Kafka...");
            kafka = EmbeddedKafka.start();
            kafkaBootstrap = kafka.bootstrapServers();
        }
        KafkaTopics.create(kafkaBootstrap, options.partitions(), base.string("topic.requests", "spin.requests"),
                matchesTopic(), base.string("topic.dlq", "spin.requests.dlq"));
        log.printf("Kafka ready at %s (topics created, %d partitions)%n", kafkaBootstrap, options.partitions());
    }

    private void startApi(StackOptions options, PrintStream log) {
        Properties p = new Properties();
        p.setProperty("spinmatch.http.port", String.valueOf(options.apiPort()));
        if (base.optional("api.rate-limit.per-second").isEmpty()) {
            p.setProperty("spinmatch.api.rate-limit.per-second", String.valueOf(options.userRateLimit()));
            p.setProperty("spinmatch.api.rate-limit.burst", String.valueOf(options.userRateLimit()));
        }
        ApiOptions apiOptions = ApiOptions.from(instanceSettings(p)).withKafkaBootstrap(kafkaBootstrap)
                .withDb(dbUrl, dbUser, dbPassword);
        try {
            api = ApiServer.start(apiOptions);
        } catch (Exception e) {
            throw ApiPort.inUse(options.apiPort(), e).orElseGet(() -> new IllegalStateException(
                    "the producer-api did not start: " + e.getMessage(), e));
        }
        log.printf("producer-api listening on %s%n", api.uri());
    }

    private void startWorker(int index, PrintStream log) {
        Properties p = new Properties();
        p.setProperty("spinmatch.worker.id", "worker-" + index);
        p.setProperty("spinmatch.http.port", "0");
        WorkerOptions workerOptions = WorkerOptions.from(instanceSettings(p))
                .withEndpoints(kafkaBootstrap, dbUrl, dbUser, dbPassword);
        Worker worker = Worker.start(workerOptions);
        workers.add(worker);
        log.printf("worker-%d started (metrics on port %d)%n", index, worker.httpPort());
    }

    /** The process settings with {@code overrides} on top: one instance's own port and id. */
    private static Settings instanceSettings(Properties overrides) {
        Properties p = (Properties) System.getProperties().clone();
        p.putAll(overrides);
        return new Settings(System.getenv(), p);
    }

    /** Stops the API, then the workers, then Kafka, then PostgreSQL; what it took, per step. */
    public StackStop.Timings stop() {
        return new StackStop(api, workers, kafka, postgres).run();
    }

    @Override
    public void close() {
        stop();
    }

    /** For printing: where things listen. */
    public Map<String, String> endpoints() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("API", api.uri().toString());
        m.put("dashboard", api.uri() + "/dashboard/");
        m.put("API metrics", api.uri() + "/metrics");
        for (int i = 0; i < workers.size(); i++) {
            m.put("worker-" + (i + 1) + " metrics", "http://localhost:" + workers.get(i).httpPort() + "/metrics");
        }
        m.put("JDBC URL", dbUrl + " (user " + dbUser + ")");
        m.put("Kafka bootstrap", kafkaBootstrap);
        return m;
    }
}
