package dev.spinmatch.spinctl.replay;

import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.schema.Migrations;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/** Test helpers: a fresh migrated database per replay (one server per JVM), the shipped logs. */
final class ReplayDatabases {
    private ReplayDatabases() {
    }

    /** A fresh scratch database to replay into; dropped when the returned handle closes. */
    static Replayed scratch(Replay.Options options) throws Exception {
        TestDatabases.TestDatabase db = TestDatabases.create("spin", Migrations::migrate);
        ScratchDatabase scratch = ScratchDatabase.given(db.jdbcUrl(), db.user(), db.password(), null, false);
        return new Replayed(db, scratch, options);
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(ReplayDatabases.class.getResource("/replay/" + name).toURI());
    }

    /** A scratch database, replayed into by {@link #run}. */
    record Replayed(TestDatabases.TestDatabase db, ScratchDatabase scratch, Replay.Options options) implements AutoCloseable {
        ReplayReport run(List<LogRecord> log) throws Exception {
            return new Replay(scratch, options).replay(log);
        }

        String outcomes() throws SQLException, IOException {
            StringWriter out = new StringWriter();
            Outcomes.write(Outcomes.read(scratch.plain()), out);
            return out.toString();
        }

        @Override
        public void close() {
            scratch.close();
            db.close();
        }
    }
}
