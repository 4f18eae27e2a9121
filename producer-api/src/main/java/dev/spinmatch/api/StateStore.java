package dev.spinmatch.api;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Read-only views of the matching state, as JSON-ready field maps. */
interface StateStore {
    Optional<Map<String, Object>> spin(UUID spinId);

    Optional<Map<String, Object>> user(String userId);
}
