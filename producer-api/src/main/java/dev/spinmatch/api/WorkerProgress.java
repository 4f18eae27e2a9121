package dev.spinmatch.api;

/**
 * How far the matcher workers got in the request topic. A worker commits a batch's offsets only after its
 * database transaction committed, so an event the workers processed has its effects, or its record of changing
 * nothing, in the database.
 */
@FunctionalInterface
interface WorkerProgress {
    /** Not known to be processed: every event reads as pending (backends without Kafka's Admin API). */
    WorkerProgress UNKNOWN = (topic, partition, offset) -> false;

    /** True when the workers have processed (and committed) the record at {@code offset} of {@code partition}. */
    boolean processed(String topic, int partition, long offset) throws Exception;
}
