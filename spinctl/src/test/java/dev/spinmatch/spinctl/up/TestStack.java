package dev.spinmatch.spinctl.up;

import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestKafka;
import dev.spinmatch.schema.Migrations;
import java.util.Optional;

/**
 * One running stack (API and two workers) per test JVM, on the shared test broker and a fresh test
 * database (both external when SPINMATCH_TEST_KAFKA_BOOTSTRAP / SPINMATCH_TEST_DB_URL are set).
 * Tests stay apart by using their own user ids and pools.
 */
final class TestStack {
    private static Stack stack;

    private TestStack() {
    }

    static synchronized Stack get() {
        if (stack == null) {
            TestDatabases.TestDatabase db = TestDatabases.create("spin", Migrations::migrate);
            stack = Stack.start(new StackOptions(Optional.of(TestKafka.bootstrapServers()), Optional.of(db.jdbcUrl()),
                    db.user(), db.password(), 2, 0, 4, 1000), System.out);
            // Only the database is dropped at exit. Closing the stack there raced the embedded broker's own shutdown
            // hook: with the broker gone, the workers' and the API's Kafka clients waited out their close timeouts and
            // held the test JVM's exit for over 30 s.
            Runtime.getRuntime().addShutdownHook(new Thread(db::close, "test-stack-db-drop"));
        }
        return stack;
    }
}
