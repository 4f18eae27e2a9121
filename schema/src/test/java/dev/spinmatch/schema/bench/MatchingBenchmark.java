package dev.spinmatch.schema.bench;

import dev.spinmatch.common.Settings;
import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestDatabases.TestDatabase;
import dev.spinmatch.schema.HistoryClock;
import dev.spinmatch.schema.Migrations;
import org.flywaydb.core.Flyway;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * DB-level matching throughput: callers on their own connections send batches of join events of
 * fresh users ({@code bench.pools} pools) through spin.apply_batch, one transaction per call, fsync and
 * synchronous_commit on. Every case runs on each schema of {@code bench.schemas}: {@code new} (the
 * migrations of db/migration) and {@code old} (the data model before the lean hot path, kept as
 * bench/v0/db/migration), side by side in one run. Modes: the design with several batch sizes; one
 * transaction per match (a batch of 2 joins); all matching serialized behind one global advisory lock;
 * the design with the state repair job running beside it (spin.repair_state() in its own transaction
 * every {@code bench.repair-interval}, as the leader worker runs it); on the new schema only, the design
 * on a database holding {@code bench.prune-history} ended matches older than the retention, without and
 * with history pruning beside it (rounds of spin.prune_history() back to back until the old history is
 * gone, as a worker catching up runs them); DESIGN.md's pgbench reference batched
 * (bench/reference_pairs.sql: 2 advisory locks, a match and 2 member rows in plain tables), to compare
 * this machine today with the figure DESIGN.md quotes. {@code bench.drop-indexes} drops indexes of the
 * new schema before a run, to price them. Each configuration runs in a fresh database.
 * Figures, medians over the repeats: matches/s, the callers' backend CPU per match, contended users
 * reported per second (the batch's users whose lock or every candidate's was held elsewhere), the side
 * job's (repair or pruning) backend CPU per match, its wall time per run and the rows it pruned.
 * Run: see BENCHMARKS.md ("DB-level matching").
 */
public final class MatchingBenchmark {
    private static int pools;
    private static long warmupMillis;
    private static long repairIntervalMillis;
    private static int pruneHistoryMatches;
    private static List<String> dropIndexes;

    enum Mode { DESIGN, GLOBAL_LOCK, WITH_REPAIR, WITH_HISTORY, WITH_PRUNE, REFERENCE }

    /** The data model under test: {@code new} (db/migration) or {@code old} (bench/v0/db/migration). */
    enum Schema {
        NEW("classpath:db/migration"), OLD("classpath:bench/v0/db/migration");

        final String location;

        Schema(String location) {
            this.location = location;
        }

        TestDatabase create() {
            return TestDatabases.create("spin_" + name().toLowerCase(), ds -> Flyway.configure().dataSource(ds)
                    .schemas(Migrations.SCHEMA).createSchemas(true).locations(location).load().migrate());
        }
    }

    record Case(Schema schema, Mode mode, int callers, int batch) {
        String label() {
            return schema.name().toLowerCase() + " " + mode;
        }
    }

    /** One run: matches/s (wall clock), the callers' backends' CPU time per match, contended users per second, and the side job's load. */
    record Result(double perSecond, double cpuMicrosPerMatch, double contendedPerSecond, double sideCpuMicrosPerMatch,
            double sideMillisPerRun, long pruned) {
    }

    /** What the side job's connection (repair or pruning) did in one run. */
    record SideLoad(long runs, long wallMillis, long cpuMillis, long pruned) {
        static final SideLoad NONE = new SideLoad(0, 0, 0, 0);
    }

    /** CPU time (user + system) of this connection's backend, from /proc: needs a local superuser. */
    private static final String BACKEND_CPU_MS = "SELECT (split_part(s, ' ', 12)::bigint + split_part(s, ' ', 13)::bigint)"
            + " * 1000 / 100 FROM (SELECT split_part(pg_read_file('/proc/self/stat'), ') ', 2) AS s) x";

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment();
        long seconds = settings.integer("bench.seconds", 5);
        int repeats = settings.integer("bench.repeats", 3);
        List<Integer> callers = ints(settings.string("bench.callers", "1,2,8"));
        List<Schema> schemas = Arrays.stream(settings.string("bench.schemas", "old,new").split(","))
                .map(v -> Schema.valueOf(v.trim().toUpperCase())).toList();
        pools = settings.integer("bench.pools", 4);
        warmupMillis = settings.integer("bench.warmup-ms", 2000);
        repairIntervalMillis = settings.integer("bench.repair-interval-ms", 1000);
        pruneHistoryMatches = settings.integer("bench.prune-history", 20_000);
        dropIndexes = words(settings.string("bench.drop-indexes", "none"));
        List<Case> cases = new ArrayList<>();
        addCases(cases, schemas, Mode.DESIGN, ints(settings.string("bench.batches", "2,50,200")), callers);
        addCases(cases, schemas, Mode.GLOBAL_LOCK, ints(settings.string("bench.global-batches", "none")), callers);
        addCases(cases, schemas, Mode.WITH_REPAIR, ints(settings.string("bench.repair-batches", "none")), callers);
        List<Integer> pruneBatches = ints(settings.string("bench.prune-batches", "none"));
        addCases(cases, List.of(Schema.NEW), Mode.WITH_HISTORY, pruneBatches, callers);
        addCases(cases, List.of(Schema.NEW), Mode.WITH_PRUNE, pruneBatches, callers);
        addCases(cases, List.of(Schema.NEW), Mode.REFERENCE, ints(settings.string("bench.reference-batches", "none")), callers);
        System.out.printf("pools %d, %d s per run after a %d ms warm-up and ANALYZE, medians of %d%s%n", pools, seconds,
                warmupMillis, repeats,
                dropIndexes.isEmpty() ? "" : ", new schema without " + String.join(", ", dropIndexes));
        System.out.printf("%-22s %7s %6s %10s %14s %12s %12s %12s %10s   %s%n", "mode", "callers", "batch", "median/s",
                "cpu us/match", "contended/s", "side us/m", "side ms/run", "pruned", "runs (matches/s)");
        for (Case c : cases) {
            List<Result> runs = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                runs.add(run(c, seconds * 1000));
            }
            System.out.printf("%-22s %7d %6d %10.0f %14.0f %12.1f %12.1f %12.1f %10.0f   %s%n", c.label(), c.callers(), c.batch(),
                    median(runs.stream().map(Result::perSecond).toList()),
                    median(runs.stream().map(Result::cpuMicrosPerMatch).toList()),
                    median(runs.stream().map(Result::contendedPerSecond).toList()),
                    median(runs.stream().map(Result::sideCpuMicrosPerMatch).toList()),
                    median(runs.stream().map(Result::sideMillisPerRun).toList()),
                    median(runs.stream().map(v -> (double) v.pruned()).toList()),
                    runs.stream().map(v -> String.format("%.0f", v.perSecond())).collect(Collectors.joining(" ")));
        }
        System.exit(0);
    }

    private static void addCases(List<Case> cases, List<Schema> schemas, Mode mode, List<Integer> batches, List<Integer> callers) {
        for (int b : batches) {
            for (int c : callers) {
                for (Schema schema : schemas) {
                    cases.add(new Case(schema, mode, c, b));
                }
            }
        }
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static Result run(Case c, long millis) throws Exception {
        try (TestDatabase db = c.schema().create()) {
            prepare(db, c);
            warmUp(db, c);
            AtomicLong matches = new AtomicLong();
            AtomicLong contended = new AtomicLong();
            AtomicLong cpuMillis = new AtomicLong();
            ExecutorService executor = Executors.newFixedThreadPool(c.callers() + 1);
            long deadline = System.nanoTime() + millis * 1_000_000;
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < c.callers(); i++) {
                String prefix = "c" + i + "-";
                futures.add(executor.submit(() -> caller(db, c, prefix, deadline, matches, contended, cpuMillis)));
            }
            Future<SideLoad> side = executor.submit(() -> switch (c.mode()) {
                case WITH_REPAIR -> repairJob(db, deadline);
                case WITH_PRUNE -> pruning(db, deadline);
                default -> SideLoad.NONE;
            });
            for (Future<?> f : futures) {
                f.get();
            }
            SideLoad load = side.get();
            double elapsed = (System.nanoTime() - start) / 1e9;
            executor.shutdown();
            long made = Math.max(1, matches.get());
            return new Result(matches.get() / elapsed, cpuMillis.get() * 1000.0 / made, contended.get() / elapsed,
                    load.cpuMillis() * 1000.0 / made, (double) load.wallMillis() / Math.max(1, load.runs()), load.pruned());
        }
    }

    /** The case's database before the callers start: old history, the reference tables, dropped indexes. */
    private static void prepare(TestDatabase db, Case c) throws SQLException, IOException {
        if (c.mode() == Mode.WITH_HISTORY || c.mode() == Mode.WITH_PRUNE) {
            oldHistory(db, pruneHistoryMatches);
        }
        try (Connection conn = db.connect(); var st = conn.createStatement()) {
            if (c.mode() == Mode.REFERENCE) {
                st.execute(resource("reference_tables.sql"));
            }
            if (c.schema() == Schema.NEW) {
                for (String index : dropIndexes) {
                    st.execute("DROP INDEX spin." + index);
                }
            }
        }
    }

    /**
     * The case's callers for {@code bench.warmup-ms} on users of their own, then ANALYZE: measured runs start with
     * the statistics and cached plans a database in service has, not the empty tables of a fresh one.
     */
    private static void warmUp(TestDatabase db, Case c) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(c.callers());
        long deadline = System.nanoTime() + warmupMillis * 1_000_000;
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < c.callers(); i++) {
            String prefix = "w" + i + "-";
            futures.add(executor.submit(() -> caller(db, c, prefix, deadline, new AtomicLong(), new AtomicLong(), new AtomicLong())));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        executor.shutdown();
        try (Connection conn = db.connect(); var st = conn.createStatement()) {
            st.execute("ANALYZE");
        }
    }

    private static Void caller(TestDatabase db, Case c, String prefix, long deadline, AtomicLong matches, AtomicLong contended,
            AtomicLong cpuMillis) throws SQLException, IOException {
        try (Connection conn = db.connect()) {
            conn.setAutoCommit(false);
            long cpuAtStart = backendCpuMillis(conn);
            try (PreparedStatement global = conn.prepareStatement("SELECT pg_advisory_xact_lock(spin.lock_key('bench:global-matching'))");
                 PreparedStatement apply = conn.prepareStatement(c.mode() == Mode.REFERENCE ? resource("reference_pairs.sql")
                         : "SELECT count(DISTINCT match_id), count(*) FILTER (WHERE result = 'contended') FROM spin.apply_batch(?::jsonb)")) {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    if (c.mode() == Mode.GLOBAL_LOCK) {
                        global.execute();
                    }
                    if (c.mode() == Mode.REFERENCE) {
                        apply.setString(1, prefix);
                        apply.setLong(2, n / 2);
                        apply.setInt(3, c.batch() / 2);
                    } else {
                        apply.setString(1, joins(prefix, n, c.batch()));
                    }
                    n += c.batch();
                    try (ResultSet rs = apply.executeQuery()) {
                        rs.next();
                        long created = rs.getLong(1);
                        long busy = c.mode() == Mode.REFERENCE ? 0 : rs.getLong(2);
                        conn.commit();
                        matches.addAndGet(created);
                        contended.addAndGet(busy);
                    }
                }
            }
            cpuMillis.addAndGet(backendCpuMillis(conn) - cpuAtStart);
        }
        return null;
    }
    /** The repair job's load: one repair_state() transaction per interval until the deadline. */
    private static SideLoad repairJob(TestDatabase db, long deadline) throws SQLException, InterruptedException {
        try (Connection conn = db.connect();
             PreparedStatement repair = conn.prepareStatement("SELECT coalesce(sum(repaired), 0) FROM spin.repair_state()")) {
            conn.setAutoCommit(false);
            long runs = 0;
            long wallNanos = 0;
            while (System.nanoTime() < deadline) {
                long begin = System.nanoTime();
                try (ResultSet rs = repair.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != 0) {
                        throw new IllegalStateException("the repair job repaired a healthy run: " + rs.getLong(1));
                    }
                }
                conn.commit();
                wallNanos += System.nanoTime() - begin;
                runs++;
                Thread.sleep(Math.max(0, Math.min(repairIntervalMillis, (deadline - System.nanoTime()) / 1_000_000)));
            }
            return new SideLoad(runs, wallNanos / 1_000_000, backendCpuMillis(conn), 0);
        }
    }

    /** Pruning beside matching: spin.prune_history() rounds back to back until a round prunes nothing. */
    private static SideLoad pruning(TestDatabase db, long deadline) throws SQLException {
        try (Connection conn = db.connect();
             PreparedStatement prune = conn.prepareStatement("SELECT coalesce(sum(pruned), 0) FROM spin.prune_history()")) {
            conn.setAutoCommit(false);
            long runs = 0;
            long wallNanos = 0;
            long pruned = 0;
            long round = 1;
            while (round > 0 && System.nanoTime() < deadline) {
                long begin = System.nanoTime();
                try (ResultSet rs = prune.executeQuery()) {
                    rs.next();
                    round = rs.getLong(1);
                }
                conn.commit();
                wallNanos += System.nanoTime() - begin;
                runs++;
                pruned += round;
            }
            return new SideLoad(runs, wallNanos / 1_000_000, backendCpuMillis(conn), pruned);
        }
    }

    /**
     * Writes {@code count} matches through apply_batch, ends them, moves everything eight days back
     * (past the default retention of 7 days) and vacuums, as autovacuum would have by then.
     */
    private static void oldHistory(TestDatabase db, int count) throws SQLException {
        try (Connection conn = db.connect()) {
            conn.setAutoCommit(false);
            try (PreparedStatement apply = conn.prepareStatement("SELECT count(*) FROM spin.apply_batch(?::jsonb)");
                 PreparedStatement end = conn.prepareStatement("SELECT count(spin.end_match(match_id))"
                         + " FROM (SELECT match_id FROM spin.matches WHERE ended_at IS NULL LIMIT 200) m")) {
                for (long n = 0; n < 2L * count; n += 200) {
                    apply.setString(1, joins("h-", n, 200));
                    apply.executeQuery().close();
                    conn.commit();
                }
                long ended;
                do {
                    try (ResultSet rs = end.executeQuery()) {
                        rs.next();
                        ended = rs.getLong(1);
                    }
                    conn.commit();
                } while (ended > 0);
            }
            HistoryClock.back(conn, 8);
            conn.commit();
            conn.setAutoCommit(true);
            try (var st = conn.createStatement()) {
                st.execute("VACUUM ANALYZE");
            }
        }
    }

    private static long backendCpuMillis(Connection conn) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(BACKEND_CPU_MS); ResultSet rs = st.executeQuery()) {
            rs.next();
            long cpu = rs.getLong(1);
            conn.commit();
            return cpu;
        }
    }

    /** A comma-separated list of names, or {@code none}. */
    private static List<String> words(String csv) {
        return csv.equals("none") ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).toList();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MatchingBenchmark.class.getResourceAsStream("/bench/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A batch of join events of fresh users; consecutive users share a pool so most pair in-batch. */
    private static String joins(String prefix, long first, int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            long u = first + i;
            json.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"join_queue\",\"v\":1,\"eventId\":\"").append(UUID.randomUUID())
                    .append("\",\"userId\":\"").append(prefix).append(u)
                    .append("\",\"spinId\":\"").append(UUID.randomUUID())
                    .append("\",\"pool\":\"p").append((u / 2) % pools)
                    .append("\",\"traceId\":\"t").append(u).append("\"}");
        }
        return json.append("]").toString();
    }

    /** A comma-separated list of numbers, or {@code none} (e.g. {@code -Dspinmatch.bench.global-batches=none} skips that mode). */
    private static List<Integer> ints(String csv) {
        return csv.equals("none") ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
