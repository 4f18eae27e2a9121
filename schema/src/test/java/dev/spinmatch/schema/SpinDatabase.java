package dev.spinmatch.schema;

import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestDatabases.TestDatabase;

/** A fresh database with schema spin migrated, for one test class. */
final class SpinDatabase {
    private SpinDatabase() {
    }

    static TestDatabase create() {
        return TestDatabases.create("spin", Migrations::migrate);
    }
}
