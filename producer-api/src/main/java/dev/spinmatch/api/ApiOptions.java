package dev.spinmatch.api;

import dev.spinmatch.common.Settings;
import dev.spinmatch.publisher.PublisherOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the API process is configured with, read once from {@link Settings}. Every key, its
 * environment variable and its default are listed in docs/CONFIGURATION.md (producer-api table).
 */
public record ApiOptions(
        String host,
        int port,
        Duration idleTimeout,
        int maxThreads,
        int maxHeaderBytes,
        int maxBodyBytes,
        Duration shutdownDrain,
        Optional<String> kafkaBootstrap,
        Map<String, String> kafkaClientConfig,
        String requestsTopic,
        Duration deliveryTimeout,
        Duration linger,
        String compression,
        Duration maxBlock,
        Optional<String> dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        String tokens,
        double rateLimitPerSecond,
        int rateLimitBurst,
        Duration retryAfter,
        String workerGroupId) {

    public static final String DEV_TOKENS = "dev-token:spin,cancel,end,read";

    public static ApiOptions from(Settings s) {
        return new ApiOptions(
                s.string("http.host", "0.0.0.0"),
                s.integer("http.port", 8080),
                s.duration("http.idle-timeout", Duration.ofSeconds(30)),
                s.integer("http.max-threads", 200),
                s.integer("http.max-header-bytes", 8192),
                s.integer("api.max-body-bytes", 4096),
                s.duration("api.shutdown-drain", Duration.ofSeconds(10)),
                s.optional("kafka.bootstrap"),
                kafkaClientConfig(s),
                s.string("topic.requests", PublisherOptions.DEFAULT_TOPIC),
                s.duration("api.kafka.delivery-timeout", Duration.ofSeconds(5)),
                s.duration("api.kafka.linger", PublisherOptions.DEFAULT_LINGER),
                s.string("api.kafka.compression", PublisherOptions.DEFAULT_COMPRESSION),
                s.duration("api.kafka.max-block", Duration.ofSeconds(1)),
                s.optional("db.url"),
                s.string("db.user", "postgres"),
                s.string("db.password", "postgres"),
                s.integer("api.db.pool-size", 4),
                s.string("api.tokens", DEV_TOKENS),
                Double.parseDouble(s.string("api.rate-limit.per-second", "5")),
                s.integer("api.rate-limit.burst", 10),
                s.duration("api.retry-after", Duration.ofSeconds(1)),
                s.string("worker.group.id", "spinmatch-workers"));
    }

    /** Security settings every Kafka client of the process shares (keys shared with the worker). */
    private static Map<String, String> kafkaClientConfig(Settings s) {
        Map<String, String> config = new HashMap<>();
        config.put("security.protocol", s.string("kafka.security.protocol", "PLAINTEXT"));
        s.optional("kafka.sasl.mechanism").ifPresent(m -> config.put("sasl.mechanism", m));
        s.optional("kafka.sasl.jaas").ifPresent(j -> config.put("sasl.jaas.config", j));
        return Map.copyOf(config);
    }

    /** The publisher configuration; {@code bootstrap} is the resolved Kafka address (configured or embedded). */
    public PublisherOptions publisherOptions(String bootstrap) {
        return new PublisherOptions(bootstrap, requestsTopic, deliveryTimeout, linger, compression, maxBlock,
                "spinmatch-api", kafkaClientConfig);
    }

    public ApiOptions withKafkaBootstrap(String bootstrap) {
        return new ApiOptions(host, port, idleTimeout, maxThreads, maxHeaderBytes, maxBodyBytes, shutdownDrain,
                Optional.of(bootstrap), kafkaClientConfig, requestsTopic, deliveryTimeout, linger, compression, maxBlock, dbUrl, dbUser,
                dbPassword, dbPoolSize, tokens, rateLimitPerSecond, rateLimitBurst, retryAfter, workerGroupId);
    }

    public ApiOptions withDb(String url, String user, String password) {
        return new ApiOptions(host, port, idleTimeout, maxThreads, maxHeaderBytes, maxBodyBytes, shutdownDrain,
                kafkaBootstrap, kafkaClientConfig, requestsTopic, deliveryTimeout, linger, compression, maxBlock, Optional.of(url), user,
                password, dbPoolSize, tokens, rateLimitPerSecond, rateLimitBurst, retryAfter, workerGroupId);
    }
}
