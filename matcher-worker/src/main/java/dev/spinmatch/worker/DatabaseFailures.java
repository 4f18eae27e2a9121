package dev.spinmatch.worker;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a failure that one of a batch's events may cause apart from a database that is unavailable.
 * Only the first kind may end with an event in the DLQ: when the database is down, full, shutting
 * down or lacks its schema, every event would fail alike, and dead-lettering them all would lose
 * them. So an SQLSTATE not listed here (and a failure without one) counts as unavailable: the batch
 * is retried, never split, until the database is back.
 */
final class DatabaseFailures {
    /** Conflicts between concurrent transactions: deadlock, serialization, lock not available, statement cancelled. */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "55P03", "57014");
    /**
     * Classes of errors an event's own data can raise: data exception (22), integrity constraint
     * (23), cardinality (21), routine exceptions (2F, 38, 39), program limit (54), PL/pgSQL raise (P0).
     */
    private static final Set<String> EVENT_CLASSES = Set.of("22", "23", "21", "2F", "38", "39", "54", "P0");

    private DatabaseFailures() {
    }

    /** A conflict with concurrent transactions: the same batch may well succeed when tried again. */
    static boolean isTransient(SQLException e) {
        return TRANSIENT.contains(sqlState(e));
    }

    /** True when retrying the batch, or splitting it to find the event that fails it, may succeed. */
    static boolean eventMayBeAtFault(SQLException e) {
        String state = sqlState(e);
        return isTransient(e) || (state.length() == 5 && EVENT_CLASSES.contains(state.substring(0, 2)));
    }

    /** The SQLSTATE for metrics and logs; {@code none} when the driver gave none. */
    static String sqlState(SQLException e) {
        return e.getSQLState() == null ? "none" : e.getSQLState();
    }
}
