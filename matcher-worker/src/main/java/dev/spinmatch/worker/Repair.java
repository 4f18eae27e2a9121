package dev.spinmatch.worker;

import java.util.UUID;

/** One row of {@code spin.repairs()}: an inconsistency found and repaired (schema/README.md). */
record Repair(String kind, String userId, UUID spinId, UUID matchId, String partnerId, String traceId, String detail) {
}
