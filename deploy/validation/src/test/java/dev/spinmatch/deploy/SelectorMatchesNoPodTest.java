package dev.spinmatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A Service, PodDisruptionBudget or PodMonitor whose selector matches no pod is silently useless. */
class SelectorMatchesNoPodTest {

    static List<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everySelectorMatchesPods(String overlay) {
        assertThat(Essentials.selectors(Manifests.rendered(overlay))).isEmpty();
    }

    @Test
    void serviceSelectingNothingIsReported() {
        List<K8sObject> objects = Manifests.rendered("dev");
        objects.stream().filter(o -> o.is("Service", "spinmatch-api")).findFirst().orElseThrow()
                .map("spec", "selector").put("app.kubernetes.io/name", "spinmatch-apl");
        assertThat(Essentials.selectors(objects)).singleElement().asString().contains("Service/spinmatch-api");
    }
}
