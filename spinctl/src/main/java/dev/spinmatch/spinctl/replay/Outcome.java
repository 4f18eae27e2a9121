package dev.spinmatch.spinctl.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What became of one spin: one line of an outcome export. {@link #verdict} is what a diff compares
 * (outcome and partner); match ids and times are kept for the reader but differ between a
 * production run and a replay by nature.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"userId", "spinId", "pool", "outcome", "partnerId", "matchId", "matchEnd", "createdAt", "closedAt"})
public record Outcome(String userId, String spinId, String pool, String outcome, String partnerId, String matchId,
        String matchEnd, String createdAt, String closedAt) {

    String verdict() {
        return partnerId == null ? outcome : outcome + " with " + partnerId;
    }
}
