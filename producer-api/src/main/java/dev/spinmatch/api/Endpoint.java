package dev.spinmatch.api;

import java.util.concurrent.CompletableFuture;

/** Handles one routed request. May throw {@link ApiException} or InvalidEventException for an error reply. */
@FunctionalInterface
interface Endpoint {
    CompletableFuture<Reply> handle(Call call) throws Exception;
}
