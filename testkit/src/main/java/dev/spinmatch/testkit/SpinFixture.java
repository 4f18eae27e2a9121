package dev.spinmatch.testkit;

import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestKafka;
import dev.spinmatch.schema.Migrations;
import java.time.Duration;
import java.util.UUID;

/**
 * What one pipeline test owns on the JVM's embedded broker and database, and the probes that read it
 * back ({@link SpinProbes}): a migrated database of its own, its own request and DLQ topics and consumer
 * group, and a user-id prefix. Extended by each module's fixture, which adds the processes.
 */
public abstract class SpinFixture extends SpinProbes implements AutoCloseable {
    public final TestDatabases.TestDatabase db;

    /**
     * @param userPrefix   the start of this test's user ids (a random part is appended)
     * @param partitions   partitions of the request and DLQ topics
     * @param readPatience how long a topic read waits for the records it expects
     */
    protected SpinFixture(String userPrefix, int partitions, Duration readPatience) {
        this(TestKafka.bootstrapServers(), TestDatabases.create("spin", Migrations::migrate), userPrefix, partitions, readPatience);
    }

    /** On the given broker and migrated database (tests that stop and start them use their own). */
    protected SpinFixture(String bootstrap, TestDatabases.TestDatabase db, String userPrefix, int partitions,
            Duration readPatience) {
        super(bootstrap, db.dataSource(), KafkaTopics.unique("spin.requests"),
                userPrefix + UUID.randomUUID().toString().substring(0, 6) + "-", readPatience);
        this.db = db;
        KafkaTopics.create(bootstrap, partitions, requests, dlq);
        KafkaTopics.create(bootstrap, 6, MATCHES_TOPIC);
    }

    /** Drops the database; subclasses stop their processes first, then call this. */
    @Override
    public void close() {
        db.close();
    }
}
