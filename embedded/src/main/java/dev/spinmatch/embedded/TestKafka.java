package dev.spinmatch.embedded;

import dev.spinmatch.common.Settings;

/**
 * The one Kafka broker of a test JVM: {@code test.kafka.bootstrap} (env
 * {@code SPINMATCH_TEST_KAFKA_BOOTSTRAP}) when set, otherwise an {@link EmbeddedKafka} started on
 * first use and stopped when the JVM exits. Tests stay isolated by using their own topics
 * ({@link KafkaTopics#unique}) and consumer groups.
 */
public final class TestKafka {
    private static String bootstrapServers;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = Settings.fromEnvironment().optional("test.kafka.bootstrap").orElseGet(TestKafka::startEmbedded);
        }
        return bootstrapServers;
    }

    private static String startEmbedded() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-stop"));
        return kafka.bootstrapServers();
    }
}
