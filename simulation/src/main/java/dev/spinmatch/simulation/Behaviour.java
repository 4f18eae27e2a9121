package dev.spinmatch.simulation;

import java.time.Duration;

/**
 * How a simulated user acts. Once a spin of theirs is accepted, a user vanishes ({@code disconnect}: the spin
 * must expire or match), cancels it ({@code cancel}), spins again while it waits ({@code respin}: the waiting
 * spin is superseded) or waits; once matched, spins straight into the next match ({@code next}) or ends it.
 * Each action comes after a think time drawn uniformly up to {@code hold}. A user stops after {@code actions}
 * requests (0: never).
 */
public record Behaviour(double cancel, double next, double disconnect, double respin, Duration hold, int actions) {
    public Behaviour {
        for (double p : new double[] {cancel, next, disconnect, respin}) {
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("a probability is between 0 and 1, not " + p);
            }
        }
        if (cancel + disconnect + respin > 1) {
            throw new IllegalArgumentException("cancel + disconnect + respin may not exceed 1");
        }
        if (hold.isNegative() || actions < 0) {
            throw new IllegalArgumentException("hold and actions may not be negative");
        }
    }

    public Behaviour withActions(int value) {
        return new Behaviour(cancel, next, disconnect, respin, hold, value);
    }
}
