package dev.spinmatch.worker;

import java.sql.SQLException;

/** A batch could not be applied now (database or broker unavailable); it is redelivered and retried. */
final class BatchFailedException extends RuntimeException {
    BatchFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The database failed (and that failure was counted); otherwise the broker did, or the thread was interrupted. */
    boolean fromDatabase() {
        return getCause() instanceof SQLException;
    }
}
