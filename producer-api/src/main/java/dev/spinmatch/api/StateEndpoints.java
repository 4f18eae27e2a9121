package dev.spinmatch.api;

import dev.spinmatch.events.EventFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The read endpoints, answered from PostgreSQL (blocking: their routes are offloaded). Events are applied
 * asynchronously by the workers, so a spin just accepted may be unknown here for a few milliseconds: that is
 * a 404, and the client polls. A spin or a match lists the events about it that changed nothing, with why.
 */
final class StateEndpoints {
    private final StateStore store;

    StateEndpoints(StateStore store) {
        this.store = store;
    }

    /** GET /v1/spins/{spinId} */
    CompletableFuture<Reply> spin(Call call) {
        UUID spinId = EventFields.uuid("spinId", call.path("spinId"));
        return CompletableFuture.completedFuture(store.spin(spinId)
                .map(spin -> Reply.json(200, withNotApplied(spin, "spin", spinId)))
                .orElseThrow(() -> ApiException.notFound("unknown spin (or not applied yet)")));
    }

    /** GET /v1/users/{userId} */
    CompletableFuture<Reply> user(Call call) {
        return CompletableFuture.completedFuture(store.user(EventFields.userId(call.path("userId")))
                .map(user -> Reply.json(200, user))
                .orElseThrow(() -> ApiException.notFound("unknown user (no event of theirs applied yet)")));
    }

    /** GET /v1/matches/{matchId} */
    CompletableFuture<Reply> match(Call call) {
        UUID matchId = EventFields.uuid("matchId", call.path("matchId"));
        return CompletableFuture.completedFuture(store.match(matchId)
                .map(match -> Reply.json(200, withNotApplied(match, "match", matchId)))
                .orElseThrow(() -> ApiException.notFound("unknown match")));
    }

    private Map<String, Object> withNotApplied(Map<String, Object> resource, String about, UUID id) {
        List<Map<String, Object>> notApplied = store.notApplied(about, id);
        if (notApplied.isEmpty()) {
            return resource;
        }
        Map<String, Object> withEvents = new LinkedHashMap<>(resource);
        withEvents.put("notApplied", notApplied);
        return withEvents;
    }
}
