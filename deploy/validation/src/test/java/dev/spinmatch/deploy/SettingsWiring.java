package dev.spinmatch.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The settings the manifests pass to the processes, against docs/CONFIGURATION.md. */
final class SettingsWiring {
    private static final Pattern ENV_CELL = Pattern.compile("^\\|[^|]*\\|\\s*`?(SPINMATCH_[A-Z0-9_]+)`?\\s*\\|", Pattern.MULTILINE);

    private SettingsWiring() {
    }

    /** The env var column of every table in docs/CONFIGURATION.md. */
    static Set<String> documented() {
        try {
            Matcher m = ENV_CELL.matcher(Files.readString(Manifests.repositoryRoot().resolve("docs/CONFIGURATION.md")));
            Set<String> names = new LinkedHashSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SPINMATCH_* variables a container sees: its env plus the keys of ConfigMaps it takes with envFrom. */
    static Set<String> environment(Map<String, Object> container, List<K8sObject> objects) {
        K8sObject c = new K8sObject(container);
        Set<String> names = new LinkedHashSet<>();
        c.list("env").forEach(e -> names.add(String.valueOf(e.get("name"))));
        for (Map<String, Object> from : c.list("envFrom")) {
            String configMap = new K8sObject(from).string("configMapRef", "name").orElse("");
            objects.stream().filter(o -> o.is("ConfigMap", configMap)).forEach(o -> names.addAll(o.map("data").keySet()));
        }
        names.removeIf(n -> !n.startsWith("SPINMATCH_"));
        return names;
    }

    static List<String> undocumented(List<K8sObject> objects, Set<String> documented) {
        List<String> problems = new ArrayList<>();
        for (K8sObject workload : Essentials.workloads(objects)) {
            for (Map<String, Object> container : workload.containers()) {
                for (String name : environment(container, objects)) {
                    if (!documented.contains(name)) {
                        problems.add(workload.id() + ": sets " + name + ", which docs/CONFIGURATION.md does not list");
                    }
                }
            }
        }
        return problems;
    }

    /** In a container the database and the broker are always given: the embedded ones are for local runs only. */
    static List<String> embeddedFallback(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject workload : Essentials.workloads(objects)) {
            for (Map<String, Object> container : workload.containers()) {
                Set<String> env = environment(container, objects);
                for (String required : List.of("SPINMATCH_DB_URL", "SPINMATCH_KAFKA_BOOTSTRAP")) {
                    if (!env.contains(required)) {
                        problems.add(workload.id() + ": " + required + " unset, the process would start an embedded one");
                    }
                }
            }
        }
        return problems;
    }
}
