package dev.spinmatch.worker;

/** A batch could not be applied now (database or broker unavailable); it is redelivered and retried. */
final class BatchFailedException extends RuntimeException {
    BatchFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
