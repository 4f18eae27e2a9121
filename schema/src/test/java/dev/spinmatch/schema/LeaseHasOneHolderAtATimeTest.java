package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** spin.leases: one holder at a time, renewals, expiry, and no takeover while the holder works. */
class LeaseHasOneHolderAtATimeTest extends SpinDatabase {

    private boolean take(Sql session, String holder, String ttl) {
        return (Boolean) session.value("SELECT spin.try_lease('repair', ?, ?::interval)", holder, ttl);
    }

    @Test
    void secondWorkerCannotTakeAnUnexpiredLease() {
        assertThat(take(sql, "w1", "10 seconds")).isTrue();
        assertThat(take(sql, "w2", "10 seconds")).isFalse();
        assertThat(take(sql, "w1", "10 seconds")).as("renewal").isTrue();
        assertThat(sql.text("SELECT holder FROM spin.leases WHERE name = 'repair'")).isEqualTo("w1");
    }

    @Test
    void expiredLeaseIsTakenOver() throws Exception {
        assertThat(take(sql, "w1", "10 milliseconds")).isTrue();
        Thread.sleep(30);
        assertThat(take(sql, "w2", "10 seconds")).isTrue();
        assertThat((Boolean) sql.value("SELECT spin.hold_lease('repair', 'w1')")).isFalse();
    }

    @Test
    void releasedLeaseIsFreeAtOnce() {
        assertThat(take(sql, "w1", "10 seconds")).isTrue();
        assertThat((Boolean) sql.value("SELECT spin.release_lease('repair', 'w2')")).isFalse();
        assertThat((Boolean) sql.value("SELECT spin.release_lease('repair', 'w1')")).isTrue();
        assertThat(take(sql, "w2", "10 seconds")).isTrue();
    }

    @Test
    void takeoverWaitsForTheHoldersWorkEvenPastTheTtl() throws Exception {
        assertThat(take(sql, "w1", "2 seconds")).isTrue();
        try (Sql holder = newSession(); Sql taker = newSession()) {
            holder.connection.setAutoCommit(false);
            assertThat((Boolean) holder.value("SELECT spin.hold_lease('repair', 'w1')")).isTrue();
            Thread.sleep(2200);   // the holder's work outlives the TTL
            CompletableFuture<Boolean> takeover = CompletableFuture.supplyAsync(() -> take(taker, "w2", "10 seconds"));
            Thread.sleep(300);
            assertThat(takeover).as("blocked while the holder's transaction runs").isNotDone();
            holder.connection.commit();
            assertThat(takeover.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void otherWorkersAreRefusedAtOnceWhileTheHolderWorks() throws Exception {
        assertThat(take(sql, "w1", "10 seconds")).isTrue();
        try (Sql holder = newSession(); Sql other = newSession()) {
            holder.connection.setAutoCommit(false);
            assertThat((Boolean) holder.value("SELECT spin.hold_lease('repair', 'w1')")).isTrue();
            other.exec("SET lock_timeout = '1s'");   // waiting for the holder's row lock fails the call
            assertThat(take(other, "w2", "10 seconds")).isFalse();
            holder.connection.commit();
        }
    }
}
