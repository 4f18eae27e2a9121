package dev.spinmatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Pods without probes, limits or a non-root user are what the overlays must never render. */
class PodMissingProbesLimitsOrNonRootTest {

    static List<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void deploymentsProbeTheRealHealthEndpoints(String overlay) {
        assertThat(Essentials.probes(Manifests.rendered(overlay))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasRequestsAndLimits(String overlay) {
        assertThat(Essentials.resources(Manifests.rendered(overlay))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyPodRunsAsNonRootOnAReadOnlyRoot(String overlay) {
        assertThat(Essentials.nonRoot(Manifests.rendered(overlay))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void deploymentsLeaveTimeForACleanStop(String overlay) {
        assertThat(Essentials.gracePeriods(Manifests.rendered(overlay))).isEmpty();
    }

    @Test
    void missingReadinessProbeIsReported() {
        List<K8sObject> objects = Manifests.rendered("dev");
        container(objects, "spinmatch-worker").remove("readinessProbe");
        assertThat(Essentials.probes(objects)).singleElement().asString().contains("spinmatch-worker", "readinessProbe");
    }

    @Test
    void missingMemoryLimitIsReported() {
        List<K8sObject> objects = Manifests.rendered("prod");
        new K8sObject(container(objects, "spinmatch-api")).map("resources", "limits").remove("memory");
        assertThat(Essentials.resources(objects)).anySatisfy(p -> assertThat(p).contains("limits.memory missing"));
    }

    @Test
    void rootUserIsReported() {
        List<K8sObject> objects = Manifests.rendered("dev");
        job(objects).map("spec", "template", "spec", "securityContext").put("runAsUser", 0);
        assertThat(Essentials.nonRoot(objects)).singleElement().asString().contains("Job/spinmatch-migrate", "runAsUser");
    }

    @Test
    void gracePeriodShorterThanTheStopBudgetIsReported() {
        List<K8sObject> objects = Manifests.rendered("dev");
        objects.stream().filter(o -> o.is("Deployment", "spinmatch-api")).findFirst().orElseThrow()
                .map("spec", "template", "spec").put("terminationGracePeriodSeconds", 15);
        assertThat(Essentials.gracePeriods(objects)).singleElement().asString()
                .contains("terminationGracePeriodSeconds 15 < 20");
    }

    static Map<String, Object> container(List<K8sObject> objects, String deployment) {
        return objects.stream().filter(o -> o.is("Deployment", deployment)).findFirst().orElseThrow().containers().get(0);
    }

    static K8sObject job(List<K8sObject> objects) {
        return objects.stream().filter(o -> o.kind().equals("Job")).findFirst().orElseThrow();
    }
}
