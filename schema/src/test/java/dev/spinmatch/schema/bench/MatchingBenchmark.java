package dev.spinmatch.schema.bench;

import dev.spinmatch.common.Settings;
import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestDatabases.TestDatabase;
import dev.spinmatch.schema.HistoryClock;
import dev.spinmatch.schema.Migrations;
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
 * fresh users (4 pools) through spin.apply_batch, one transaction per call, fsync and
 * synchronous_commit on. Modes: the design with several batch sizes; one transaction per match
 * (a batch of 2 joins); all matching serialized behind one global advisory lock; the design with
 * the state repair job running beside it (spin.repair_state() in its own transaction every
 * {@code bench.repair-interval}, as the leader worker runs it); the design on a database holding
 * {@code bench.prune-history} ended matches older than the retention, without and with history pruning
 * beside it (rounds of spin.prune_history() back to back until the old history is gone, as a worker
 * catching up runs them); the floor of this schema, its rows alone (bench/rows_of_matched_pairs.sql:
 * what apply_batch writes for joiners it pairs, with every constraint, no logic); DESIGN.md's pgbench
 * reference batched (bench/reference_pairs.sql: 2 advisory locks, a match and 2 member rows in plain
 * tables), to compare this machine today with the figure DESIGN.md quotes. Each configuration runs in
 * a fresh database.
 * Figures, medians over the repeats: matches/s, the callers' backend CPU per match, the side job's
 * (repair or pruning) backend CPU per match, its wall time per run and the rows it pruned.
 * Run: see BENCHMARKS.md ("DB-level matching").
 */
public final class MatchingBenchmark {
    private static final int POOLS = 4;
    private static long repairIntervalMillis;
    private static int pruneHistoryMatches;

    enum Mode { DESIGN, GLOBAL_LOCK, WITH_REPAIR, WITH_HISTORY, WITH_PRUNE, ROWS_ONLY, REFERENCE }

    /** {@code without}: for ROWS_ONLY, what the variant leaves out ("foreign-keys", or the rows of a table, e.g. "decisions"). */
    record Case(Mode mode, int callers, int batch, List<String> without) {
        Case(Mode mode, int callers, int batch) {
            this(mode, callers, batch, List.of());
        }

        String label() {
            return without.isEmpty() ? mode.name() : mode + " without " + String.join(", ", without);
        }
    }

    /**
     * One run: matches/s (wall clock), the callers' backends' CPU time per match, the side job's
     * backend CPU time per match, its mean wall time per run and rows pruned (0 without a side job).
     */
    record Result(double perSecond, double cpuMicrosPerMatch, double sideCpuMicrosPerMatch, double sideMillisPerRun,
            long pruned) {
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
        List<Integer> callers = ints(settings.string("bench.callers", "1,2,4,8"));
        List<Integer> batches = ints(settings.string("bench.batches", "2,10,50,200,500"));
        List<Case> cases = new ArrayList<>();
        for (int b : batches) {
            for (int c : callers) {
                cases.add(new Case(Mode.DESIGN, c, b));
            }
        }
        for (int b : ints(settings.string("bench.global-batches", "2,50"))) {
            for (int c : callers) {
                cases.add(new Case(Mode.GLOBAL_LOCK, c, b));
            }
        }
        for (int b : ints(settings.string("bench.repair-batches", "50,200"))) {
            for (int c : callers) {
                cases.add(new Case(Mode.WITH_REPAIR, c, b));
            }
        }
        for (int b : ints(settings.string("bench.prune-batches", "none"))) {
            for (int c : callers) {
                cases.add(new Case(Mode.WITH_HISTORY, c, b));
                cases.add(new Case(Mode.WITH_PRUNE, c, b));
            }
        }
        List<List<String>> floorVariants = variants(settings.string("bench.floor-without", "none"));
        for (int b : ints(settings.string("bench.floor-batches", "none"))) {
            for (int c : callers) {
                cases.add(new Case(Mode.ROWS_ONLY, c, b));
                floorVariants.forEach(without -> cases.add(new Case(Mode.ROWS_ONLY, c, b, without)));
                cases.add(new Case(Mode.REFERENCE, c, b));
            }
        }
        repairIntervalMillis = settings.integer("bench.repair-interval-ms", 1000);
        pruneHistoryMatches = settings.integer("bench.prune-history", 20_000);
        System.out.printf("%-66s %7s %6s %10s %14s %14s %14s %10s   %s%n", "mode", "callers", "batch", "median/s", "cpu us/match",
                "side us/m", "side ms/run", "pruned", "runs (matches/s)");
        for (Case c : cases) {
            List<Result> runs = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                runs.add(run(c, seconds * 1000));
            }
            System.out.printf("%-66s %7d %6d %10.0f %14.0f %14.1f %14.1f %10.0f   %s%n", c.label(), c.callers(), c.batch(),
                    median(runs.stream().map(Result::perSecond).toList()),
                    median(runs.stream().map(Result::cpuMicrosPerMatch).toList()),
                    median(runs.stream().map(Result::sideCpuMicrosPerMatch).toList()),
                    median(runs.stream().map(Result::sideMillisPerRun).toList()),
                    median(runs.stream().map(v -> (double) v.pruned()).toList()),
                    runs.stream().map(v -> String.format("%.0f", v.perSecond())).collect(Collectors.joining(" ")));
        }
        System.exit(0);
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static Result run(Case c, long millis) throws Exception {
        try (TestDatabase db = TestDatabases.create("spin", Migrations::migrate)) {
            if (c.mode() == Mode.WITH_HISTORY || c.mode() == Mode.WITH_PRUNE) {
                oldHistory(db, pruneHistoryMatches);
            }
            if (c.mode() == Mode.REFERENCE || c.without().contains("foreign-keys")) {
                try (Connection conn = db.connect(); var st = conn.createStatement()) {
                    st.execute(resource(c.mode() == Mode.REFERENCE ? "reference_tables.sql" : "drop_foreign_keys.sql"));
                }
            }
            AtomicLong matches = new AtomicLong();
            AtomicLong cpuMillis = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(c.callers() + 1);
            long deadline = System.nanoTime() + millis * 1_000_000;
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < c.callers(); i++) {
                String prefix = "c" + i + "-";
                futures.add(pool.submit(() -> caller(db, c, prefix, deadline, matches, cpuMillis)));
            }
            Future<SideLoad> side = pool.submit(() -> switch (c.mode()) {
                case WITH_REPAIR -> repairJob(db, deadline);
                case WITH_PRUNE -> pruning(db, deadline);
                default -> SideLoad.NONE;
            });
            for (Future<?> f : futures) {
                f.get();
            }
            SideLoad load = side.get();
            double elapsed = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            long made = Math.max(1, matches.get());
            return new Result(matches.get() / elapsed, cpuMillis.get() * 1000.0 / made, load.cpuMillis() * 1000.0 / made,
                    (double) load.wallMillis() / Math.max(1, load.runs()), load.pruned());
        }
    }

    private static Void caller(TestDatabase db, Case c, String prefix, long deadline, AtomicLong matches, AtomicLong cpuMillis)
            throws SQLException, IOException {
        try (Connection conn = db.connect()) {
            conn.setAutoCommit(false);
            try (PreparedStatement global = conn.prepareStatement("SELECT pg_advisory_xact_lock(spin.lock_key('bench:global-matching'))");
                 PreparedStatement apply = conn.prepareStatement(switch (c.mode()) {
                     case ROWS_ONLY -> withoutRows(resource("rows_of_matched_pairs.sql"), c.without());
                     case REFERENCE -> resource("reference_pairs.sql");
                     default -> "SELECT count(DISTINCT match_id) FROM spin.apply_batch(?::jsonb) WHERE result = 'matched'";
                 })) {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    if (c.mode() == Mode.GLOBAL_LOCK) {
                        global.execute();
                    }
                    if (c.mode() == Mode.ROWS_ONLY || c.mode() == Mode.REFERENCE) {
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
                        conn.commit();
                        matches.addAndGet(created);
                    }
                }
            }
            cpuMillis.addAndGet(backendCpuMillis(conn));
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
                         + " FROM (SELECT match_id FROM spin.matches WHERE active LIMIT 200) m")) {
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

    /** The floor's statement without the CTEs that write the tables named in {@code without}. */
    private static String withoutRows(String sql, List<String> without) {
        for (String table : without) {
            int start = sql.indexOf("), " + table + " AS (");
            if (start >= 0) {
                sql = sql.substring(0, start) + sql.substring(sql.indexOf("\n)", start + 1) + 1);
            } else if (!table.equals("foreign-keys")) {
                throw new IllegalArgumentException("bench.floor-without: no rows of " + table + " to leave out");
            }
        }
        return sql;
    }

    /** Variants separated by ';', each a '+'-separated list (e.g. {@code foreign-keys;foreign-keys+decisions}), or {@code none}. */
    private static List<List<String>> variants(String spec) {
        return spec.equals("none") ? List.of() : Arrays.stream(spec.split(";")).map(v -> List.of(v.trim().split("\\+"))).toList();
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
                    .append("\",\"pool\":\"p").append((u / 2) % POOLS)
                    .append("\",\"traceId\":\"t").append(u).append("\"}");
        }
        return json.append("]").toString();
    }

    /** A comma-separated list of numbers, or {@code none} (e.g. {@code -Dspinmatch.bench.global-batches=none} skips that mode). */
    private static List<Integer> ints(String csv) {
        return csv.equals("none") ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
