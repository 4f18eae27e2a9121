package dev.spinmatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A misspelt or mistyped field is silently dropped by a lenient apply (a "livenesProbe" means no
 * liveness probe at all). Every object must parse strictly into the Kubernetes API model.
 */
class ManifestFieldUnknownToKubernetesTest {

    static List<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyRenderedObjectMatchesItsSchema(String overlay) {
        assertThat(Manifests.rendered(overlay)).flatMap(StrictModel::problems).isEmpty();
    }

    @Test
    void everyReferenceObjectMatchesItsSchema() {
        List<K8sObject> reference = Manifests.reference();
        assertThat(reference).extracting(K8sObject::kind).contains("Kafka", "KafkaNodePool", "Cluster");
        assertThat(reference).flatMap(StrictModel::problems).isEmpty();
    }

    @Test
    void misspeltFieldDeepInADeploymentIsReported() {
        K8sObject deployment = one("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: c
                          image: i
                          livenesProbe: {httpGet: {path: /healthz, port: 8080}}
                """);
        assertThat(StrictModel.problems(deployment)).singleElement().asString().contains("livenesProbe");
    }

    @Test
    void scalarOfTheWrongTypeIsReported() {
        K8sObject service = one("""
                apiVersion: v1
                kind: Service
                metadata: {name: s}
                spec:
                  ports: [{port: "eighty"}]
                """);
        assertThat(StrictModel.problems(service)).singleElement().asString().contains("Service");
    }

    @Test
    void misspeltCustomResourceFieldIsReported() {
        K8sObject topic = one("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partition: 12, replicas: "3"}
                """);
        assertThat(StrictModel.problems(topic)).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("unknown field partition"))
                .anySatisfy(p -> assertThat(p).contains("replicas: expected int"));
    }

    @Test
    void kindWithoutAKnownSchemaIsReported() {
        K8sObject unknown = one("apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n");
        assertThat(StrictModel.problems(unknown)).singleElement().asString().contains("no schema known");
    }

    static K8sObject one(String yaml) {
        return Manifests.parse(yaml).get(0);
    }
}
