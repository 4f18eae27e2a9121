package dev.spinmatch.api;

/** One readiness check: returns when the dependency is reachable, throws (with the reason) when not. */
@FunctionalInterface
interface Probe {
    void check() throws Exception;
}
