package dev.spinmatch.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Read-only views of the matching state, as JSON-ready field maps. Blocking. */
interface StateStore {
    Optional<Map<String, Object>> spin(UUID spinId);

    Optional<Map<String, Object>> user(String userId);

    Optional<Map<String, Object>> match(UUID matchId);

    /** The record of an event that changed nothing (a no-op or a rejection, with the reason), if there is one. */
    Optional<Map<String, Object>> eventResult(UUID eventId);

    /** The events about a spin, or a match, that changed nothing, oldest first. */
    List<Map<String, Object>> notApplied(String about, UUID id);
}
