package dev.spinmatch.api;

import dev.spinmatch.events.EventFields;
import java.util.concurrent.CompletableFuture;

/**
 * The read endpoints, answered from PostgreSQL. Events are applied asynchronously by the workers, so a
 * spin just accepted may be unknown here for a few milliseconds: that is a 404, and the client polls.
 */
final class StateEndpoints {
    private final StateStore store;

    StateEndpoints(StateStore store) {
        this.store = store;
    }

    /** GET /v1/spins/{spinId} */
    CompletableFuture<Reply> spin(Call call) {
        return CompletableFuture.completedFuture(store.spin(EventFields.uuid("spinId", call.path("spinId")))
                .map(spin -> Reply.json(200, spin))
                .orElseThrow(() -> ApiException.notFound("unknown spin (or not applied yet)")));
    }

    /** GET /v1/users/{userId} */
    CompletableFuture<Reply> user(Call call) {
        return CompletableFuture.completedFuture(store.user(EventFields.userId(call.path("userId")))
                .map(user -> Reply.json(200, user))
                .orElseThrow(() -> ApiException.notFound("unknown user (no event of theirs applied yet)")));
    }
}
