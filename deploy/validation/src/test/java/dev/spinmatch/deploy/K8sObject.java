package dev.spinmatch.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One rendered Kubernetes object as plain YAML data, with a few ways in. */
record K8sObject(Map<String, Object> data) {

    String apiVersion() {
        return (String) data.get("apiVersion");
    }

    String kind() {
        return (String) data.get("kind");
    }

    String name() {
        return string("metadata", "name").orElse("?");
    }

    String id() {
        return kind() + "/" + name();
    }

    boolean is(String kind, String name) {
        return kind.equals(kind()) && name.equals(name());
    }

    Optional<Object> at(String... path) {
        Object node = data;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return Optional.empty();
            }
            node = map.get(key);
        }
        return Optional.ofNullable(node);
    }

    Optional<String> string(String... path) {
        return at(path).map(String::valueOf);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String... path) {
        return (Map<String, Object>) at(path).orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String... path) {
        return (List<Map<String, Object>>) at(path).orElse(List.of());
    }

    /** The pod template's spec of a Deployment or Job. */
    Map<String, Object> podSpec() {
        return map("spec", "template", "spec");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> containers() {
        return (List<Map<String, Object>>) podSpec().getOrDefault("containers", List.of());
    }
}
