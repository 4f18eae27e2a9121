package dev.spinmatch.spinctl.replay;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** The users whose outcome differs between two outcome exports: per spin, outcome and partner. */
public final class OutcomeDiff {
    /** One user's spins on each side, each as "spin ID: VERDICT". */
    public record UserDiff(String userId, List<String> a, List<String> b) {
    }

    private OutcomeDiff() {
    }

    public static List<UserDiff> compare(List<Outcome> a, List<Outcome> b) {
        Map<String, Map<String, String>> left = byUser(a);
        Map<String, Map<String, String>> right = byUser(b);
        TreeSet<String> users = new TreeSet<>(left.keySet());
        users.addAll(right.keySet());
        List<UserDiff> diffs = new ArrayList<>();
        for (String user : users) {
            Map<String, String> l = left.getOrDefault(user, Map.of());
            Map<String, String> r = right.getOrDefault(user, Map.of());
            if (!Objects.equals(l, r)) {
                diffs.add(new UserDiff(user, lines(l), lines(r)));
            }
        }
        return diffs;
    }

    public static void print(List<UserDiff> diffs, PrintStream out) {
        for (UserDiff d : diffs) {
            out.println(d.userId());
            d.a().forEach(line -> out.println("  A " + line));
            d.b().forEach(line -> out.println("  B " + line));
        }
        out.printf("%d user%s differ%n", diffs.size(), diffs.size() == 1 ? "" : "s");
    }

    private static Map<String, Map<String, String>> byUser(List<Outcome> outcomes) {
        Map<String, Map<String, String>> byUser = new TreeMap<>();
        for (Outcome o : outcomes) {
            byUser.computeIfAbsent(o.userId(), u -> new LinkedHashMap<>()).put(o.spinId(), o.verdict());
        }
        return byUser;
    }

    private static List<String> lines(Map<String, String> spins) {
        List<String> lines = new ArrayList<>();
        spins.forEach((spin, verdict) -> lines.add("spin " + spin + ": " + verdict));
        return lines.isEmpty() ? List.of("(no spins)") : lines;
    }
}
