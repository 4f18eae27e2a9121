package dev.spinmatch.spinctl.check;

import java.io.PrintStream;
import java.util.List;

/** Prints violations as an aligned text table. */
public final class ViolationTable {
    private ViolationTable() {
    }

    public static void print(List<Violation> violations, PrintStream out) {
        if (violations.isEmpty()) {
            out.println("invariants: healthy (no violations)");
            return;
        }
        out.printf("invariants: %d violation(s)%n", violations.size());
        String format = "  %-28s %-24s %-36s %-36s %s%n";
        out.printf(format, "KIND", "USER", "MATCH", "SPIN", "DETAIL");
        for (Violation v : violations) {
            out.printf(format, v.kind(), dash(v.userId()), dash(v.matchId()), dash(v.spinId()), dash(v.detail()));
        }
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
