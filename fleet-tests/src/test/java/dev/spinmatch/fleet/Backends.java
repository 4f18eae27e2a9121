package dev.spinmatch.fleet;

import com.github.dockerjava.api.DockerClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The broker and the database as containers of the images built here (deploy/images), on one
 * container network, shared by the scenarios of a run: each scenario has its own database and topics
 * on them. Inside the network the broker is {@code kafka:19092} and PostgreSQL {@code postgres:5432};
 * this JVM reaches both through their mapped ports on localhost. Restarts stop and start the same
 * container, so the broker keeps its log directory and PostgreSQL its data directory, and the mapped
 * ports stay (podman assigns them when the container is created).
 */
final class Backends implements AutoCloseable {
    static final String KAFKA_IN_NETWORK = "kafka:19092";
    static final String USER = "spin";
    static final String PASSWORD = "spin-secret";
    final Network network = Network.newNetwork();
    final KafkaContainer kafka;
    final PostgreSQLContainer postgres;

    Backends() {
        kafka = new KafkaContainer(image("fleet.image.kafka", "localhost/spinmatch/kafka:4.4.0", "apache/kafka"))
                .withNetwork(network)
                .withListener(KAFKA_IN_NETWORK)
                // the group waits this long at least for a silent member (the workers ask for 6 s)
                .withEnv("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "6000")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_HEAP_OPTS", "-Xmx512m")
                .withStartupTimeout(Duration.ofMinutes(2));
        postgres = new PostgreSQLContainer(image("fleet.image.postgres", "localhost/spinmatch/postgres:17", "postgres"))
                .withNetwork(network)
                .withNetworkAliases("postgres")
                .withUsername(USER)
                .withPassword(PASSWORD)
                .withDatabaseName("fleet")
                // durable as in production (Testcontainers' default turns fsync off); locks for batches
                .withCommand("postgres", "-c", "max_connections=200", "-c", "max_locks_per_transaction=1024");
        kafka.start();
        postgres.start();
    }

    static DockerImageName image(String property, String defaultName, String substituteFor) {
        return DockerImageName.parse(System.getProperty(property, defaultName)).asCompatibleSubstituteFor(substituteFor);
    }

    String bootstrap() {
        return kafka.getBootstrapServers();
    }

    /** JDBC URL of {@code database} from this JVM. */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432) + "/" + database;
    }

    /** JDBC URL of {@code database} from a container on the network. */
    static String jdbcUrlInNetwork(String database) {
        return "jdbc:postgresql://postgres:5432/" + database;
    }

    void createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("fleet"), USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean databaseAnswers() {
        try (Connection c = DriverManager.getConnection(jdbcUrl("fleet"), USER, PASSWORD)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    boolean brokerAnswers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Stops the container as an operator would (its stop signal, then SIGKILL after 10 s). */
    static void stop(GenericContainer<?> container) {
        docker().stopContainerCmd(container.getContainerId()).withTimeout(10).exec();
    }

    static void start(GenericContainer<?> container) {
        docker().startContainerCmd(container.getContainerId()).exec();
    }

    /** Sends a signal (KILL, STOP, CONT, ...) to the container's main process. */
    static void signal(GenericContainer<?> container, String signal) {
        docker().killContainerCmd(container.getContainerId()).withSignal(signal).exec();
    }

    static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    @Override
    public void close() {
        postgres.stop();
        kafka.stop();
        network.close();
    }
}
