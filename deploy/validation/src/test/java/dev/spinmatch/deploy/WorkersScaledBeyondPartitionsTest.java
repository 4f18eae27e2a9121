package dev.spinmatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** KEDA must never run more workers than spin.requests has partitions: the extra ones sit idle. */
class WorkersScaledBeyondPartitionsTest {

    static List<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void workerScalingStaysWithinThePartitions(String overlay) {
        assertThat(Essentials.workerScaling(Manifests.rendered(overlay))).isEmpty();
    }

    @Test
    void devAndProdPartitionCountsAreTheDocumentedOnes() {
        assertThat(Essentials.partitions(Manifests.rendered("dev"), "spin.requests")).contains(12);
        assertThat(Essentials.partitions(Manifests.rendered("prod"), "spin.requests")).contains(48);
    }

    @Test
    void maxReplicasAbovePartitionsIsReported() {
        List<K8sObject> objects = Manifests.rendered("dev");
        scaledObject(objects).map("spec").put("maxReplicaCount", 13);
        assertThat(Essentials.workerScaling(objects)).singleElement().asString()
                .contains("maxReplicaCount 13 exceeds the 12 partitions");
    }

    @Test
    void scalingOnAnotherTopicIsReported() {
        List<K8sObject> objects = Manifests.rendered("prod");
        scaledObject(objects).list("spec", "triggers").get(0).put("metadata", java.util.Map.of("topic", "spin.matches"));
        assertThat(Essentials.workerScaling(objects)).anySatisfy(p -> assertThat(p).contains("workers consume spin.requests"));
    }

    static K8sObject scaledObject(List<K8sObject> objects) {
        return objects.stream().filter(o -> o.kind().equals("ScaledObject")).findFirst().orElseThrow();
    }
}
