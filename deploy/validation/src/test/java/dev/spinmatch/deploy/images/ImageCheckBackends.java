package dev.spinmatch.deploy.images;

import dev.spinmatch.common.Settings;
import dev.spinmatch.embedded.EmbeddedKafka;
import dev.spinmatch.embedded.EmbeddedPostgres;
import dev.spinmatch.embedded.KafkaTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Kafka broker and PostgreSQL server on this host's loopback for the containers started by
 * deploy/ci/images-check.sh (which run with the host network). Writes their addresses as an env
 * file for {@code podman run --env-file}, then serves until it receives SIGTERM.
 *
 * <p>usage: ImageCheckBackends ENV_FILE
 */
public final class ImageCheckBackends {
    /** The partition counts of deploy/k8s/overlays/dev. */
    private static final int PARTITIONS = 12;

    private ImageCheckBackends() {
    }

    public static void main(String[] args) throws Exception {
        Path envFile = Path.of(args[0]);
        EmbeddedPostgres postgres = EmbeddedPostgres.start(EmbeddedPostgres.Options.from(Settings.fromEnvironment()));
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            postgres.close();
        }, "backends-shutdown"));
        KafkaTopics.create(kafka.bootstrapServers(), PARTITIONS, "spin.requests", "spin.matches");
        KafkaTopics.create(kafka.bootstrapServers(), 3, "spin.requests.dlq");
        Path partial = Path.of(envFile + ".partial");
        Files.write(partial, List.of(
                "SPINMATCH_DB_URL=jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres",
                "SPINMATCH_DB_USER=" + EmbeddedPostgres.USER,
                "SPINMATCH_KAFKA_BOOTSTRAP=" + kafka.bootstrapServers()));
        Files.move(partial, envFile);
        System.out.println("backends ready: " + Files.readString(envFile).replace('\n', ' '));
        Thread.currentThread().join();
    }
}
