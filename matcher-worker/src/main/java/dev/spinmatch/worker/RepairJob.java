package dev.spinmatch.worker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state repair job: every worker schedules it, the lease lets one of them run it at a time.
 * One run is one transaction: {@code hold_lease} first (the lease row stays share-locked until the
 * commit), then {@code spin.repairs()}, which takes the same per-user try-locks as matching and checks
 * the next slice of the active matches (the walk continues where the last run of any worker stopped). A repair
 * is a bug report: each is logged at ERROR with all its IDs and counted by kind.
 */
final class RepairJob {
    private static final Logger log = LoggerFactory.getLogger(RepairJob.class);
    private final DataSource dataSource;
    private final LeaderLease lease;
    private final WorkerMetrics metrics;
    private final Optional<Integer> slice;

    /** {@code slice}: active matches checked per run; empty means the database's {@code settings.repair_slice}. */
    RepairJob(DataSource dataSource, LeaderLease lease, WorkerMetrics metrics, Optional<Integer> slice) {
        this.dataSource = dataSource;
        this.lease = lease;
        this.metrics = metrics;
        this.slice = slice;
    }

    /** Runs once if this worker holds (or takes) the lease; returns the repairs made, empty when not the holder. */
    List<Repair> runIfLeader() throws SQLException {
        if (!lease.acquire()) {
            return List.of();
        }
        List<Repair> repairs = repairUnderLease();
        repairs.forEach(this::report);
        metrics.repairRun();
        return repairs;
    }

    void stop() {
        try {
            lease.release();
        } catch (SQLException e) {
            log.warn("could not release the repair lease; it expires by itself", e);
        }
    }

    private List<Repair> repairUnderLease() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try {
                List<Repair> repairs = lease.hold(connection) ? repairs(connection) : List.of();
                connection.commit();
                return repairs;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private List<Repair> repairs(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(NamedQueries.get("repairs"))) {
            ps.setObject(1, slice.orElse(null), Types.INTEGER);
            try (ResultSet rs = ps.executeQuery()) {
                List<Repair> repairs = new ArrayList<>();
                while (rs.next()) {
                    repairs.add(new Repair(rs.getString("kind"), rs.getString("user_id"), rs.getObject("spin_id", UUID.class),
                            rs.getObject("match_id", UUID.class), rs.getString("partner_id"), rs.getString("trace_id"),
                            rs.getString("detail")));
                }
                return repairs;
            }
        }
    }

    private void report(Repair repair) {
        metrics.repaired(repair.kind());
        try (LogContext ignored = LogContext.with().put("userId", repair.userId()).put("spinId", repair.spinId())
                .put("matchId", repair.matchId()).put("traceId", repair.traceId())
                .put("partnerId", repair.partnerId()).put("repairKind", repair.kind())) {
            log.error("REPAIRED {} (a bug elsewhere left this state): user {} partner {} match {} spin {}: {}",
                    repair.kind(), repair.userId(), repair.partnerId(), repair.matchId(), repair.spinId(), repair.detail());
        }
    }
}
