package dev.spinmatch.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/** Values drawn from a generator outside a property (for suites that replay them against a live system). */
public final class Samples {
    private Samples() {
    }

    /**
     * {@code count} values of {@code gen}, the same ones for the same {@code seed}. QuickTheories may skip a few
     * examples of a run, so runs (seed, seed + 1, ...) are added until there are enough.
     */
    public static <T> List<T> of(Gen<T> gen, int count, long seed) {
        List<T> sample = new CopyOnWriteArrayList<>();
        for (long run = seed; sample.size() < count; run++) {
            QuickTheory.qt().withFixedSeed(run).withExamples(count - sample.size()).forAll(gen).checkAssert(sample::add);
        }
        return List.copyOf(sample.subList(0, count));
    }
}
