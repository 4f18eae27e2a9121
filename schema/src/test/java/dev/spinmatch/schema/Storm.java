package dev.spinmatch.schema;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Many callers, each with its own connection, firing randomized join / re-join / leave / next /
 * end events through spin.apply_batch, and retrying contended users with backoff as a real
 * matcher worker does. Hostile traffic too: one leave or end in ten names another user's spin or
 * match (a no-op by contract, crossed between concurrent batches; it once deadlocked them).
 * Deterministic per thread for a seed (interleavings are not).
 */
final class Storm {
    record Config(long seed, int threads, int operations, int users, int pools, int maxBatch) {
    }

    record Report(long events, long batches, long matchedRows, long contendedRows, long retries,
                  long leftoverContended, List<String> errors, long millis) {
        @Override
        public String toString() {
            return "events=" + events + " batches=" + batches + " matchedRows=" + matchedRows + " contended=" + contendedRows
                    + " retries=" + retries + " leftover=" + leftoverContended + " errors=" + errors.size() + " ms=" + millis
                    + (errors.isEmpty() ? "" : " firstError=" + errors.get(0));
        }
    }

    private static final int RETRY_ATTEMPTS = 12;

    private final Config config;
    private final Supplier<Connection> connections;
    private final AtomicInteger remaining;
    private final AtomicReferenceArray<UUID> lastSpin;
    private final AtomicReferenceArray<UUID> lastMatch;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong contended = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong leftover = new AtomicLong();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

    Storm(Config config, Supplier<Connection> connections) {
        this.config = config;
        this.connections = connections;
        this.remaining = new AtomicInteger(config.operations());
        this.lastSpin = new AtomicReferenceArray<>(config.users());
        this.lastMatch = new AtomicReferenceArray<>(config.users());
    }

    Report run() throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(config.threads());
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < config.threads(); t++) {
            long threadSeed = config.seed() * 1_000_003L + t;
            done.add(pool.submit(() -> caller(new Random(threadSeed))));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return new Report(events.get(), batches.get(), matched.get(), contended.get(), retries.get(), leftover.get(),
                List.copyOf(errors), (System.nanoTime() - start) / 1_000_000);
    }

    private Void caller(Random random) throws SQLException {
        try (Connection c = connections.get()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET synchronous_commit = off");
            }
            int size;
            while ((size = take(1 + random.nextInt(config.maxBatch()))) > 0) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    batch.add(randomEvent(random));
                }
                Set<String> toRetry = applyBatch(c, Events.array(batch));
                retryContended(c, random, toRetry);
            }
        }
        return null;
    }

    private int take(int wanted) {
        while (true) {
            int left = remaining.get();
            if (left <= 0) {
                return 0;
            }
            int n = Math.min(left, wanted);
            if (remaining.compareAndSet(left, left - n)) {
                return n;
            }
        }
    }

    private String randomEvent(Random random) {
        int u = random.nextInt(config.users());
        String user = "u" + u;
        String pool = "p" + (random.nextInt(20) == 0 ? random.nextInt(config.pools()) : u % config.pools());
        int owner = random.nextInt(10) == 0 ? random.nextInt(config.users()) : u;   // hostile: someone else's
        UUID spin = lastSpin.get(owner);
        UUID match = lastMatch.get(owner);
        int dice = random.nextInt(100);
        if (dice < 10 && spin != null && owner == u) {
            return Events.join(user, pool, spin);                 // redelivered join: duplicate
        }
        if (dice < 30 && spin != null) {
            return Events.leave(user, spin);
        }
        if (dice < 42 && match != null) {
            return Events.end(user, match);
        }
        UUID fresh = UUID.randomUUID();                         // join, or "next" when matched
        lastSpin.set(u, fresh);
        return Events.join(user, pool, fresh);
    }

    /** Applies one batch in its own transaction; returns the users reported contended. */
    private Set<String> applyBatch(Connection c, String json) {
        batches.incrementAndGet();
        Set<String> contendedUsers = new LinkedHashSet<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM spin.apply_batch(?::jsonb)")) {
            st.setString(1, json);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getObject("event_id") != null) {
                        events.incrementAndGet();
                    }
                    record(rs, contendedUsers);
                }
            }
        } catch (SQLException e) {
            errors.add(e.getSQLState() + " " + e.getMessage());
        }
        return contendedUsers;
    }

    private void retryContended(Connection c, Random random, Set<String> users) throws SQLException {
        for (int attempt = 1; attempt <= RETRY_ATTEMPTS && !users.isEmpty(); attempt++) {
            LockSupport.parkNanos(random.nextInt(2_000_000 * attempt));   // jittered, growing backoff
            retries.incrementAndGet();
            Set<String> still = new LinkedHashSet<>();
            try (PreparedStatement st = c.prepareStatement("SELECT * FROM spin.process_matching(?)")) {
                Array array = c.createArrayOf("text", users.toArray());
                st.setArray(1, array);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        record(rs, still);
                    }
                }
            } catch (SQLException e) {
                errors.add(e.getSQLState() + " " + e.getMessage());
            }
            users = still;
        }
        leftover.addAndGet(users.size());
    }

    private void record(ResultSet rs, Set<String> contendedUsers) throws SQLException {
        String result = rs.getString("result");
        String user = rs.getString("user_id");
        if ("matched".equals(result)) {
            matched.incrementAndGet();
            UUID match = (UUID) rs.getObject("match_id");
            remember(user, match);
            remember(rs.getString("partner_id"), match);
        } else if ("contended".equals(result)) {
            contended.incrementAndGet();
            contendedUsers.add(user);
        }
    }

    private void remember(String user, UUID match) {
        if (user != null && user.startsWith("u")) {
            lastMatch.set(Integer.parseInt(user.substring(1)), match);
        }
    }

    /** What a fleet's sweep does at quiescence: match every waiting user until nothing changes. */
    static void settle(Sql sql) {
        for (int round = 0; round < 20; round++) {
            long progress = sql.count("SELECT count(*) FROM spin.process_matching(ARRAY(SELECT user_id FROM spin.spins"
                    + " WHERE outcome IS NULL ORDER BY seq)) WHERE result IN ('matched', 'contended')");
            if (progress == 0) {
                return;
            }
        }
    }
}
