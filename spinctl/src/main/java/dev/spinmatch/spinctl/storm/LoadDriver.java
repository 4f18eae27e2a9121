package dev.spinmatch.spinctl.storm;

import dev.spinmatch.simulation.Crowd;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces a storm: starts idle users' spins at the configured rate (open loop) or up to the configured number
 * of requests in flight (closed loop) until the duration is over, and prints a progress line a second.
 */
final class LoadDriver {
    private final StormOptions options;
    private final Crowd crowd;
    private final StormStats stats;
    private final PrintStream progress;

    LoadDriver(StormOptions options, Crowd crowd, StormStats stats, PrintStream progress) {
        this.options = options;
        this.crowd = crowd;
        this.stats = stats;
        this.progress = progress;
    }

    void drive() {
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        long nextTick = start + TimeUnit.SECONDS.toNanos(1);
        double credit = 0;
        long last = start;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (options.rate() > 0) {
                credit = Math.min(credit + options.rate() * (now - last) / 1e9, Math.max(1, options.rate() / 10.0));
                for (; credit >= 1 && crowd.spinNext(); credit--) {
                    // one spin per whole credit
                }
            } else {
                while (crowd.inFlight() < options.concurrency() && crowd.spinNext()) {
                    // fill up to the concurrency
                }
            }
            last = now;
            if (now >= nextTick) {
                print(stats.tick());
                nextTick += TimeUnit.SECONDS.toNanos(1);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private void print(StormStats.Second s) {
        progress.printf("%4d s  accepted %,7d/s  matches %,7d/s  errors %,d  in flight %d  waiting %,d%n",
                s.second(), s.accepted(), s.matches(), s.errors(), crowd.inFlight(), crowd.unresolvedSpins());
    }
}
