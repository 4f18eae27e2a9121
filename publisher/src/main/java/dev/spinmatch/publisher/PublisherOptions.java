package dev.spinmatch.publisher;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How a {@link SpinPublisher} reaches Kafka. The producer is always idempotent with {@code acks=all};
 * these are the knobs that remain.
 *
 * @param bootstrap       Kafka bootstrap servers, e.g. {@code localhost:9092}
 * @param topic           the requests topic; default {@value #DEFAULT_TOPIC}
 * @param deliveryTimeout how long a send may take, retries included, before its future fails
 *                        ({@code delivery.timeout.ms}); default 10 s
 * @param linger          how long a record waits for companions in its batch ({@code linger.ms}); default 5 ms
 * @param compression     {@code none}, {@code gzip}, {@code snappy}, {@code lz4} or {@code zstd}; default {@code lz4}
 * @param maxBlock        how long {@code send} may block the caller while metadata is unknown or the buffer is
 *                        full ({@code max.block.ms}) before the future fails; default 2 s
 * @param clientId        the Kafka client id, shown in broker logs and metrics; default {@code spinmatch-publisher}
 * @param clientConfig    further Kafka client properties, e.g. {@code security.protocol}, {@code sasl.mechanism},
 *                        {@code sasl.jaas.config}; default none. Cannot override acks or idempotence.
 */
public record PublisherOptions(String bootstrap, String topic, Duration deliveryTimeout, Duration linger,
                               String compression, Duration maxBlock, String clientId,
                               Map<String, String> clientConfig) {
    public static final String DEFAULT_TOPIC = "spin.requests";
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(5);
    public static final String DEFAULT_COMPRESSION = "lz4";
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(2);
    public static final String DEFAULT_CLIENT_ID = "spinmatch-publisher";
    private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The documented defaults for everything but the bootstrap servers. */
    public static PublisherOptions defaults(String bootstrap) {
        return new PublisherOptions(bootstrap, DEFAULT_TOPIC, DEFAULT_DELIVERY_TIMEOUT, DEFAULT_LINGER,
                DEFAULT_COMPRESSION, DEFAULT_MAX_BLOCK, DEFAULT_CLIENT_ID, Map.of());
    }

    public PublisherOptions withTopic(String value) {
        return new PublisherOptions(bootstrap, value, deliveryTimeout, linger, compression, maxBlock, clientId, clientConfig);
    }

    public PublisherOptions withDeliveryTimeout(Duration value) {
        return new PublisherOptions(bootstrap, topic, value, linger, compression, maxBlock, clientId, clientConfig);
    }

    public PublisherOptions withMaxBlock(Duration value) {
        return new PublisherOptions(bootstrap, topic, deliveryTimeout, linger, compression, value, clientId, clientConfig);
    }

    public PublisherOptions withClientConfig(Map<String, String> value) {
        return new PublisherOptions(bootstrap, topic, deliveryTimeout, linger, compression, maxBlock, clientId, value);
    }

    public PublisherOptions withClientId(String value) {
        return new PublisherOptions(bootstrap, topic, deliveryTimeout, linger, compression, maxBlock, value, clientConfig);
    }

    /** The producer configuration; Kafka requires delivery timeout >= linger + request timeout. */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout().toMillis()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
        return p;
    }

    private Duration requestTimeout() {
        Duration left = deliveryTimeout.minus(linger);
        return left.compareTo(MAX_REQUEST_TIMEOUT) < 0 ? left : MAX_REQUEST_TIMEOUT;
    }
}
