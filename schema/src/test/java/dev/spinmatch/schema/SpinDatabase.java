package dev.spinmatch.schema;

import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestDatabases.TestDatabase;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the SQL tests: each test method gets its own freshly migrated database
 * (copied from a template migrated once per JVM) and an autocommit connection {@link #sql}.
 */
abstract class SpinDatabase {
    protected TestDatabase db;
    protected Sql sql;

    static TestDatabase create() {
        return TestDatabases.create("spin", Migrations::migrate);
    }

    @BeforeEach
    void openDatabase() throws SQLException {
        db = create();
        sql = new Sql(db.connect());
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        sql.close();
        db.close();
    }

    protected Sql newSession() throws SQLException {
        return new Sql(db.connect());
    }

    /** alice and bob spin in pool "lobby" and are matched with each other: the start of most bad-state tests. */
    protected Object matchAliceWithBob() {
        sql.join("alice", "lobby", spin());
        sql.join("bob", "lobby", spin());
        return sql.match("alice").get(0).get("match_id");
    }

    static UUID spin() {
        return UUID.randomUUID();
    }
}
