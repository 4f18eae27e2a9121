package dev.spinmatch.fleet;

import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.schema.Migrations;
import dev.spinmatch.testkit.SpinProbes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * One scenario's system on the shared {@link Backends}: a database of its own (migrated), its own
 * request and DLQ topics and consumer group, the API container and the worker containers, all of the
 * images that ship (deploy/images), configured only through their environment as in Kubernetes.
 * Its {@link #probes} read the state back from this JVM.
 */
final class ContainerPipeline implements AutoCloseable {
    static final String TOKEN = "fleet-token";
    static final int PARTITIONS = 12;
    /** Short, so that a killed or paused worker's partitions move within seconds (the broker's minimum). */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final Backends backends;
    final String name;
    final SpinProbes probes;
    final GenericContainer<?> api;
    final Map<String, GenericContainer<?>> workers = new LinkedHashMap<>();

    ContainerPipeline(Backends backends, String name, int workerCount) {
        this.backends = backends;
        this.name = name;
        backends.createDatabase(name);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(backends.jdbcUrl(name));
        dataSource.setUser(Backends.USER);
        dataSource.setPassword(Backends.PASSWORD);
        Migrations.migrate(dataSource);
        probes = new SpinProbes(backends.bootstrap(), dataSource, "spin.requests." + name, name + "-u", Duration.ofMinutes(1));
        KafkaTopics.create(backends.bootstrap(), PARTITIONS, probes.requests, probes.dlq);
        KafkaTopics.create(backends.bootstrap(), 6, SpinProbes.MATCHES_TOPIC);
        api = apiContainer();
        for (int i = 1; i <= workerCount; i++) {
            workers.put("w" + i, worker("w" + i));
        }
        List<GenericContainer<?>> all = new ArrayList<>(workers.values());
        all.add(api);
        Startables.deepStart(all).join();   // JVMs start side by side
    }

    URI apiUri() {
        return URI.create("http://" + api.getHost() + ":" + api.getMappedPort(8080));
    }

    /** Starts one more worker container named {@code id}. */
    GenericContainer<?> startWorker(String id) {
        GenericContainer<?> worker = worker(id);
        worker.start();
        workers.put(id, worker);
        return worker;
    }

    private GenericContainer<?> worker(String id) {
        GenericContainer<?> worker = new GenericContainer<>(image("fleet.image.worker", "localhost/spinmatch/matcher-worker:0.1.0-SNAPSHOT"))
                .withNetwork(backends.network)
                .withEnv(common())
                .withEnv("SPINMATCH_WORKER_ID", name + "-" + id)
                .withEnv("SPINMATCH_WORKER_GROUP_ID", probes.group)
                .withEnv("SPINMATCH_TOPIC_DLQ", probes.dlq)
                .withEnv("SPINMATCH_HTTP_PORT", "8081")
                .withEnv("SPINMATCH_WORKER_SESSION_TIMEOUT", SESSION_TIMEOUT.toSeconds() + "s")
                .withExposedPorts(8081)
                .waitingFor(Wait.forHttp("/readyz").forPort(8081).withStartupTimeout(Duration.ofMinutes(2)));
        limitMemory(worker);
        return worker;
    }

    /** The worker's /readyz status (0 when it does not answer at all). */
    int workerReadiness(String id) {
        GenericContainer<?> worker = workers.get(id);
        URI uri = URI.create("http://" + worker.getHost() + ":" + worker.getMappedPort(8081) + "/readyz");
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    private GenericContainer<?> apiContainer() {
        GenericContainer<?> container = new GenericContainer<>(image("fleet.image.api", "localhost/spinmatch/producer-api:0.1.0-SNAPSHOT"))
                .withNetwork(backends.network)
                .withEnv(common())
                .withEnv("SPINMATCH_HTTP_PORT", "8080")
                .withEnv("SPINMATCH_API_TOKENS", TOKEN + ":spin,cancel,end,read")
                // the load is a few hundred users from one address; no per-user limit to trip
                .withEnv("SPINMATCH_API_RATE_LIMIT_PER_SECOND", "0")
                .withEnv("SPINMATCH_WORKER_GROUP_ID", probes.group)
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/readyz").forPort(8080).withStartupTimeout(Duration.ofMinutes(2)));
        limitMemory(container);
        return container;
    }

    private Map<String, String> common() {
        return Map.of(
                "SPINMATCH_KAFKA_BOOTSTRAP", Backends.KAFKA_IN_NETWORK,
                "SPINMATCH_DB_URL", Backends.jdbcUrlInNetwork(name),
                "SPINMATCH_DB_USER", Backends.USER,
                "SPINMATCH_DB_PASSWORD", Backends.PASSWORD,
                "SPINMATCH_TOPIC_REQUESTS", probes.requests);
    }

    /** As in the manifests: a memory limit the JVM sizes its heap from (75 %). */
    private static void limitMemory(GenericContainer<?> container) {
        container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withMemory(640L * 1024 * 1024));
    }

    private static DockerImageName image(String property, String defaultName) {
        return DockerImageName.parse(System.getProperty(property, defaultName));
    }

    /**
     * Keeps the API's and workers' logs in target/fleet-logs/ (what the services said is the first
     * thing to read when a scenario fails), then removes their containers; the database and topics stay.
     */
    @Override
    public void close() {
        keepLogs("api", api);
        workers.forEach(this::keepLogs);
        workers.values().forEach(GenericContainer::stop);
        api.stop();
    }

    private void keepLogs(String id, GenericContainer<?> container) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fleet-logs"));
            Files.writeString(dir.resolve(name + "-" + id + ".log"), container.getLogs());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not keep the logs of " + name + "-" + id + ": " + e);
        }
    }
}
