package dev.spinmatch.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fleet as containers of the shipped images, one fault mid-storm per scenario (see {@link Fault}),
 * for each seed of {@code -Dfleet.seeds} (comma-separated) and each fault of {@code -Dfleet.scenarios}
 * ("all" or fault names). After each: every spin answered 202 has exactly one outcome, no invariant is
 * violated and nobody is stranded, every match is announced once to each participant after
 * deduplication, nothing went to the DLQ, the pipeline recovered within the fault's target and its
 * throughput came back. The table of all scenarios is printed at the end (BENCHMARKS.md quotes it).
 */
class FleetUnderFaultsLosesAndDoublesNothingTest {
    private static final List<ScenarioResult> RESULTS = new ArrayList<>();
    private static Backends backends;

    @BeforeAll
    static void startBackends() {
        backends = new Backends();
    }

    @AfterAll
    static void printTableAndStop() {
        System.out.println("\nFleet under faults (" + Scenario.USERS + " users through the API container, 3 worker containers):\n");
        System.out.println(ScenarioResult.tableHeader());
        RESULTS.forEach(r -> System.out.println(r.tableRow()));
        System.out.println();
        if (backends != null) {
            backends.close();
        }
    }

    static Stream<Arguments> scenarios() {
        String chosen = System.getProperty("fleet.scenarios", "all");
        List<Fault> faults = chosen.equals("all") ? List.of(Fault.values())
                : Arrays.stream(chosen.split(",")).map(String::trim).map(Fault::valueOf).toList();
        List<Long> seeds = Arrays.stream(System.getProperty("fleet.seeds", "1").split(",")).map(String::trim)
                .map(Long::parseLong).toList();
        return seeds.stream().flatMap(seed -> faults.stream().map(fault -> Arguments.of(fault, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("scenarios")
    void faultMidStormLosesNothingDoublesNothingAndRecovers(Fault fault, long seed) throws Exception {
        ScenarioResult result = new Scenario(backends, fault, seed).run();
        RESULTS.add(result);
        System.out.println(ScenarioResult.tableHeader() + "\n" + result.tableRow() + "\nproducer side: " + result.producerSide());
        assertThat(result.problems()).as("audit: lost, doubled, invariant violations (stranded included)").isEmpty();
        assertThat(result.dlq()).as("records dead-lettered (the load sends only valid events)").isZero();
        assertThat(result.recoverySeconds()).as("seconds to recover").isLessThanOrEqualTo(fault.recoveryTarget.toSeconds());
        assertThat(result.rateAfter()).as("outcomes/s after recovery vs %.0f before", result.steadyRate())
                .isGreaterThanOrEqualTo(result.steadyRate() * 0.6);
    }
}
