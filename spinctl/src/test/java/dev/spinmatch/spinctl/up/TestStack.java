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
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                db.close();
            }));
        }
        return stack;
    }
}
