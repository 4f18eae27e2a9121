package dev.spinmatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay renders with kubectl kustomize and holds every object a rollout needs. */
class OverlayFailsToRenderTest {
    static final List<String> REQUIRED = List.of(
            "ConfigMap/spinmatch-config", "Deployment/spinmatch-api", "Service/spinmatch-api",
            "HorizontalPodAutoscaler/spinmatch-api", "PodDisruptionBudget/spinmatch-api",
            "Deployment/spinmatch-worker", "PodDisruptionBudget/spinmatch-worker", "ScaledObject/spinmatch-worker",
            "Job/spinmatch-migrate", "KafkaTopic/spin-requests", "KafkaTopic/spin-requests-dlq",
            "KafkaTopic/spin-matches", "PodMonitor/spinmatch");

    static List<String> overlays() {
        return Manifests.overlays();
    }

    @Test
    void devAndProdOverlaysExist() {
        assertThat(overlays()).contains("dev", "prod");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayRendersEveryObjectOfARollout(String overlay) {
        List<String> ids = Manifests.rendered(overlay).stream().map(K8sObject::id).toList();
        assertThat(ids).containsAll(REQUIRED).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayPutsEverythingInOneNamespace(String overlay) {
        assertThat(Manifests.rendered(overlay)).extracting(o -> o.string("metadata", "namespace").orElse(""))
                .containsOnly(overlay.equals("prod") ? "spinmatch" : "spinmatch-" + overlay);
    }

    @Test
    void brokenKustomizationFailsTheRender(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        assertThatThrownBy(() -> Manifests.kustomize(dir)).hasMessageContaining("kubectl kustomize");
    }
}
