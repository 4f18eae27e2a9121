package dev.spinmatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Settings the manifests pass must be documented, expand, and never leave a process on embedded servers. */
class SettingUndocumentedOrUnwiredTest {

    static List<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everySettingTheManifestsPassIsDocumented(String overlay) {
        assertThat(SettingsWiring.undocumented(Manifests.rendered(overlay), SettingsWiring.documented())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void containersAlwaysGetADatabaseAndABroker(String overlay) {
        assertThat(SettingsWiring.embeddedFallback(Manifests.rendered(overlay))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void envReferencesPointToEarlierVariables(String overlay) {
        assertThat(Essentials.variableReferences(Manifests.rendered(overlay))).isEmpty();
    }

    @Test
    void everySettingTheProcessesReadIsDocumented() {
        Set<String> read = SettingsWiring.keysReadBySources();
        assertThat(read).contains("db.url", "kafka.bootstrap", "http.port");
        assertThat(SettingsWiring.documentedKeys()).containsAll(read);
    }

    @Test
    void undocumentedSettingIsReported() {
        Set<String> documented = SettingsWiring.documented();
        documented.remove("SPINMATCH_WORKER_ID");
        assertThat(SettingsWiring.undocumented(Manifests.rendered("dev"), documented))
                .singleElement().asString().contains("SPINMATCH_WORKER_ID");
    }

    @Test
    void missingBrokerAddressIsReported() {
        List<K8sObject> objects = Manifests.rendered("dev");
        objects.stream().filter(o -> o.kind().equals("ConfigMap")).findFirst().orElseThrow()
                .map("data").remove("SPINMATCH_KAFKA_BOOTSTRAP");
        assertThat(SettingsWiring.embeddedFallback(objects)).hasSize(3);
    }

    @Test
    void referenceBeforeDefinitionIsReported() {
        List<K8sObject> objects = Manifests.rendered("prod");
        List<java.util.Map<String, Object>> env = new K8sObject(
                PodMissingProbesLimitsOrNonRootTest.container(objects, "spinmatch-worker")).list("env");
        env.add(env.remove(env.indexOf(env.stream().filter(e -> "KAFKA_CA_PASSWORD".equals(e.get("name"))).findFirst().orElseThrow())));
        assertThat(Essentials.variableReferences(objects)).singleElement().asString().contains("$(KAFKA_CA_PASSWORD)");
    }
}
