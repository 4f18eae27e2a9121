package dev.spinmatch.spinctl.replay;

import dev.spinmatch.spinctl.reach.KafkaReach;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spinctl import}: writes a recorded log back into a topic. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Write an exported NDJSON log into a topic: same key, value, headers and timestamp; the "
                + "same partition when the topic has enough partitions (else the key decides). Refuses the "
                + "topic of the cluster the log was exported from unless --allow-write-to-source.")
public final class ImportCommand implements Callable<Integer> {
    @Option(names = "--kafka", descriptionKey = "kafka.bootstrap", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: $SPINMATCH_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--topic", required = true, description = "Topic to write.")
    String topic;

    @Option(names = {"-i", "--in"}, required = true, description = "The exported log (NDJSON).")
    Path in;

    @Option(names = "--allow-write-to-source", description = "Allow writing into the topic the log came from.")
    boolean allowWriteToSource;

    @Override
    public Integer call() throws Exception {
        List<LogRecord> records = LogFile.read(in);
        String cluster = KafkaReach.clusterId(bootstrap);
        if (!allowWriteToSource && records.stream().anyMatch(r -> cluster.equals(r.cluster()) && topic.equals(r.topic()))) {
            System.err.printf("spinctl import: refusing to write into %s of cluster %s, where the log came from "
                    + "(pass --allow-write-to-source to do it anyway)%n", topic, cluster);
            return 2;
        }
        System.err.printf("imported %d records into %s%n", write(records), topic);
        return 0;
    }

    private int write(List<LogRecord> records) throws Exception {
        Map<String, Object> config = KafkaReach.producerConfig(bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            int partitions = producer.partitionsFor(topic).size();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (LogRecord r : records) {
                Integer partition = r.partition() < partitions ? r.partition() : null;
                acks.add(producer.send(new ProducerRecord<>(topic, partition, r.timestamp(), r.key(), r.value(),
                        r.headers())));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            return acks.size();
        }
    }
}
