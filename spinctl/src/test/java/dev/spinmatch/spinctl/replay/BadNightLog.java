package dev.spinmatch.spinctl.replay;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Writes src/test/resources/replay/bad-night.ndjson, the recorded log shipped with the tests (run
 * its main to regenerate; the file is committed). Ten minutes of pool "night" (40 users spinning,
 * cancelling, pressing next, vanishing) around a scripted story in pool "lobby": alice and bob are
 * matched, both press next, each is then the other's recent partner so they wait side by side until
 * carol and dan arrive; later carol skips alice, her recent partner, for bob; erin waits alone in pool "attic" until her spin expires. Plus a record that
 * is not UTF-8, one that is not a valid event, a redelivered join and an end_match of an unknown match.
 */
public final class BadNightLog {
    private BadNightLog() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "spinctl/src/test/resources/replay/bad-night.ndjson");
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            LogFile.write(build(), w);
        }
    }

    static List<LogRecord> build() {
        SyntheticLog log = new SyntheticLog("spin.requests", 6, Instant.parse("2025-03-14T02:00:00Z"));
        story(log);
        noise(log, new Random(14));
        log.raw("mallory", new byte[] {'{', '"', 't', (byte) 0xC3, 0x28, '"', '}'}, 95_000);
        log.raw("mallory", "{\"type\":\"join_queue\",\"v\":1,\"userId\":\"mallory\",\"pool\":\"night\"}"
                .getBytes(StandardCharsets.UTF_8), 96_000);
        log.end("frank", UUID.nameUUIDFromBytes("no-such-match".getBytes(StandardCharsets.UTF_8)), 97_000);
        return log.records();
    }

    private static void story(SyntheticLog log) {
        log.join("alice", "lobby", 10_000);
        log.join("bob", "lobby", 10_400);
        log.join("alice", "lobby", 40_000);   // next: ends alice-bob, alice waits again
        log.join("bob", "lobby", 41_000);     // bob waits too: alice is his recent partner
        log.redeliverLast(41_500);
        log.join("carol", "lobby", 60_000);   // matched with alice, the longest-waiting pairable user
        log.join("dan", "lobby", 70_000);     // matched with bob
        log.join("alice", "lobby", 80_000);   // next again: alice waits
        log.join("bob", "lobby", 80_500);     // next: alice is his recent partner, he waits
        log.join("carol", "lobby", 81_000);   // skips alice (recent partner), matched with bob
        log.join("dan", "lobby", 82_000);     // matched with alice
        log.join("erin", "attic", 100_000);   // alone in her pool: expires after the spin timeout
    }

    /** 40 users in pool "night": spin, sometimes cancel a few seconds later, sometimes next. */
    private static void noise(SyntheticLog log, Random random) {
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            users.add(String.format("user-%02d", i));
        }
        for (long at = 0; at < 600_000; at += 1_000 + random.nextInt(2_500)) {
            String user = users.get(random.nextInt(users.size()));
            UUID spin = log.join(user, "night", at);
            if (random.nextInt(5) == 0) {
                log.leave(user, spin, at + 200 + random.nextInt(4_000));
            }
        }
    }
}
