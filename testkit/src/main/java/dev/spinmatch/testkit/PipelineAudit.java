package dev.spinmatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.MatchCreated;
import dev.spinmatch.events.MatchEnded;
import dev.spinmatch.events.MatchEvent;
import dev.spinmatch.events.SpinCancelled;
import dev.spinmatch.events.SpinExpired;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The end-to-end checks, run once the system is quiet: the database (spin.spins, spin.matches,
 * invariant_violations) against what the clients were told (the 202s) and what consumers
 * read on spin.matches (after dedupe by eventId, as a consumer must). Each check adds what it finds to
 * the problems; {@link #assertNoProblems} fails with all of them at once.
 */
public final class PipelineAudit {
    private static final EventCodec CODEC = new EventCodec();
    private final SpinProbes system;
    private final Map<UUID, Spin> spins = new HashMap<>();
    private final Map<UUID, Match> matches = new HashMap<>();
    private final Map<UUID, MatchEvent> events = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private record Spin(String userId, String outcome) {
    }

    private record Match(String userA, String userB, boolean active) {
        List<String> users() {
            return List.of(userA, userB);
        }
    }

    public PipelineAudit(SpinProbes system) {
        this.system = system;
        system.query("SELECT spin_id, user_id, outcome FROM spin.spins", rs ->
                spins.put(rs.getObject(1, UUID.class), new Spin(rs.getString(2), rs.getString(3))));
        system.query("SELECT match_id, user_a, user_b, ended_at IS NULL FROM spin.matches", rs ->
                matches.put(rs.getObject(1, UUID.class), new Match(rs.getString(2), rs.getString(3), rs.getBoolean(4))));
        for (ConsumerRecord<byte[], byte[]> r : system.matchRecords(expectedEvents())) {
            MatchEvent event = CODEC.decodeMatchEvent(r.value());
            if (!SpinProbes.key(r).equals(event.userId())) {
                problems.add("event " + event.eventId() + " keyed " + SpinProbes.key(r) + " for user " + event.userId());
            }
            events.putIfAbsent(event.eventId(), event);
        }
    }

    /** Every event the database announces: two per match made and ended, one per spin cancelled or expired. */
    private long expectedEvents() {
        long ended = matches.values().stream().filter(m -> !m.active()).count();
        long closedAlone = spins.values().stream().filter(s -> "cancelled".equals(s.outcome()) || "expired".equals(s.outcome())).count();
        return 2L * matches.size() + 2L * ended + closedAlone;
    }

    /** Every check below: the clients' 202s ({@code accepted}: spin id to user), outcomes, matches, invariants. */
    public PipelineAudit allChecks(Map<UUID, String> accepted) {
        return everyAcceptedSpinHasAnOutcome(accepted).everyOutcomeAnnouncedOnce().everyMatchAnnouncedToBothUsersOnce()
                .invariantsHold();
    }

    /** Invariant 7: each spin answered 202 is in spin.spins, for its user, with an outcome. */
    public PipelineAudit everyAcceptedSpinHasAnOutcome(Map<UUID, String> accepted) {
        accepted.forEach((spinId, user) -> {
            Spin spin = spins.get(spinId);
            if (spin == null) {
                problems.add("lost: spin " + spinId + " of " + user + " was accepted but never applied");
            } else if (!spin.userId().equals(user)) {
                problems.add("spin " + spinId + " of " + user + " applied for " + spin.userId());
            } else if (spin.outcome() == null) {
                problems.add("spin " + spinId + " of " + user + " has no outcome");
            }
        });
        return this;
    }

    /**
     * Invariant 5 as consumers see it: each spin's outcome announced exactly once (matched,
     * cancelled, expired), the superseded ones never, and never a second, different outcome.
     */
    public PipelineAudit everyOutcomeAnnouncedOnce() {
        Map<UUID, List<String>> announced = new HashMap<>();
        for (MatchEvent e : events.values()) {
            outcomeOf(e).ifPresent(outcome -> announced.computeIfAbsent(spinOf(e), k -> new ArrayList<>()).add(outcome));
        }
        spins.forEach((spinId, spin) -> {
            List<String> expected = spin.outcome() == null || spin.outcome().equals("superseded") ? List.of() : List.of(spin.outcome());
            List<String> actual = announced.getOrDefault(spinId, List.of());
            if (!actual.equals(expected)) {
                problems.add("spin " + spinId + " of " + spin.userId() + " is " + spin.outcome() + " but announced " + actual);
            }
        });
        announced.keySet().stream().filter(id -> !spins.containsKey(id))
                .forEach(id -> problems.add("outcome announced for unknown spin " + id));
        return this;
    }

    /** Each match produced exactly two match_created (and, once ended, two match_ended), one keyed by each user. */
    public PipelineAudit everyMatchAnnouncedToBothUsersOnce() {
        Map<UUID, List<String>> created = new HashMap<>();
        Map<UUID, List<String>> ended = new HashMap<>();
        for (MatchEvent e : events.values()) {
            if (e instanceof MatchCreated c) {
                created.computeIfAbsent(c.matchId(), k -> new ArrayList<>()).add(c.userId());
            } else if (e instanceof MatchEnded m) {
                ended.computeIfAbsent(m.matchId(), k -> new ArrayList<>()).add(m.userId());
            }
        }
        matches.forEach((matchId, match) -> {
            expectUsers("match_created", matchId, match.users(), created.getOrDefault(matchId, List.of()));
            expectUsers("match_ended", matchId, match.active() ? List.of() : match.users(), ended.getOrDefault(matchId, List.of()));
        });
        created.keySet().stream().filter(id -> !matches.containsKey(id))
                .forEach(id -> problems.add("match_created for unknown match " + id));
        return this;
    }

    /** Invariants 1-6 (stranded users included) by the database's own checker (a spin is applied once by its key). */
    public PipelineAudit invariantsHold() {
        system.violations().forEach(v -> problems.add("invariant violation: " + v));
        return this;
    }

    public void assertNoProblems() {
        assertThat(problems).as("%d spins, %d matches, %d distinct events", spins.size(), matches.size(), events.size())
                .isEmpty();
    }

    /** What the checks found, one line each ("lost: ...", "invariant violation: ...", ...). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public long matchCount() {
        return matches.size();
    }

    public long spinsWithOutcome(String outcome) {
        return spins.values().stream().filter(s -> outcome.equals(s.outcome())).count();
    }

    private void expectUsers(String type, UUID matchId, List<String> expected, List<String> actual) {
        if (!actual.stream().sorted().toList().equals(expected.stream().sorted().toList())) {
            problems.add(type + " of match " + matchId + " went to " + actual + ", expected " + expected);
        }
    }

    private static Optional<String> outcomeOf(MatchEvent e) {
        if (e instanceof MatchCreated) {
            return Optional.of("matched");
        } else if (e instanceof SpinCancelled) {
            return Optional.of("cancelled");
        } else if (e instanceof SpinExpired) {
            return Optional.of("expired");
        }
        return Optional.empty();
    }

    private static UUID spinOf(MatchEvent e) {
        if (e instanceof MatchCreated c) {
            return c.spinId();
        } else if (e instanceof SpinCancelled c) {
            return c.spinId();
        }
        return ((SpinExpired) e).spinId();
    }
}
