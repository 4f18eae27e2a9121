package dev.spinmatch.spinctl.check;

/** One row of {@code spin.invariant_violations}: which invariant, and the ids involved (any may be null). */
public record Violation(String kind, String userId, String matchId, String spinId, String detail) {
}
