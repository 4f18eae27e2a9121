package dev.spinmatch.api;

import java.util.Map;

/** One routed request: its path variables, query parameters (single-valued), body and traceId. */
record Call(Map<String, String> path, Map<String, String> query, byte[] body, String traceId) {
    String path(String name) {
        return path.get(name);
    }
}
