package dev.spinmatch.worker;

import dev.spinmatch.common.Settings;
import dev.spinmatch.embedded.EmbeddedKafka;
import dev.spinmatch.embedded.EmbeddedPostgres;
import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.schema.Migrations;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For local runs only: an embedded broker when {@code kafka.bootstrap} is unset (with the three
 * topics created) and an embedded, migrated PostgreSQL when {@code db.url} is unset. With both set
 * nothing starts: in a deployment, topics and migrations are provisioned by their own jobs.
 */
final class LocalStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    static final int LOCAL_PARTITIONS = 12;
    private final Optional<EmbeddedKafka> kafka;
    private final Optional<EmbeddedPostgres> postgres;
    private final WorkerOptions options;

    private LocalStack(Optional<EmbeddedKafka> kafka, Optional<EmbeddedPostgres> postgres, WorkerOptions options) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.options = options;
    }

    static LocalStack startMissing(WorkerOptions configured, Settings settings) {
        Optional<EmbeddedKafka> kafka = configured.kafkaBootstrap().isPresent() ? Optional.empty()
                : Optional.of(EmbeddedKafka.start());
        Optional<EmbeddedPostgres> postgres = configured.dbUrl().isPresent() ? Optional.empty()
                : Optional.of(EmbeddedPostgres.start(EmbeddedPostgres.Options.from(settings)));
        String bootstrap = kafka.map(EmbeddedKafka::bootstrapServers).orElseGet(() -> configured.kafkaBootstrap().get());
        kafka.ifPresent(k -> {
            KafkaTopics.create(bootstrap, LOCAL_PARTITIONS, configured.requestsTopic(), configured.matchesTopic(),
                    configured.dlqTopic());
            log.info("started an embedded Kafka broker at {} (local run)", bootstrap);
        });
        postgres.ifPresent(pg -> {
            Migrations.migrate(pg.dataSource("postgres"));
            log.info("started an embedded PostgreSQL at {} (local run)", pg.jdbcUrl("postgres"));
        });
        WorkerOptions options = configured.withEndpoints(bootstrap,
                postgres.map(pg -> pg.jdbcUrl("postgres")).orElseGet(() -> configured.dbUrl().get()),
                postgres.isPresent() ? EmbeddedPostgres.USER : configured.dbUser(), configured.dbPassword());
        return new LocalStack(kafka, postgres, options);
    }

    WorkerOptions options() {
        return options;
    }

    @Override
    public void close() {
        kafka.ifPresent(EmbeddedKafka::close);
        postgres.ifPresent(EmbeddedPostgres::close);
    }
}
