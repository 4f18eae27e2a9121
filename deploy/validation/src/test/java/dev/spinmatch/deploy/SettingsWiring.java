package dev.spinmatch.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The settings the manifests pass to the processes, against docs/CONFIGURATION.md. */
final class SettingsWiring {
    private static final Pattern ENV_CELL = Pattern.compile("^\\|[^|]*\\|\\s*`?(SPINMATCH_[A-Z0-9_]+)`?\\s*\\|", Pattern.MULTILINE);
    private static final Pattern KEY_CELL = Pattern.compile("^\\|\\s*`([a-z][a-z0-9.\\-]*)`\\s*\\|", Pattern.MULTILINE);
    /** A read through Settings: {@code s.integer("http.port", ...)}, {@code settings.optional("db.url")}. */
    private static final Pattern SETTINGS_READ = Pattern.compile(
            "(?:\\bs|\\bsettings|fromEnvironment\\(\\))\\.(?:string|integer|flag|duration|optional)\\(\"([a-z][a-z0-9.\\-]*)\"");

    private SettingsWiring() {
    }

    /** The env var column of every table in docs/CONFIGURATION.md. */
    static Set<String> documented() {
        return matches(ENV_CELL, read(Manifests.repositoryRoot().resolve("docs/CONFIGURATION.md")));
    }

    /** The key column of every table in docs/CONFIGURATION.md. */
    static Set<String> documentedKeys() {
        return matches(KEY_CELL, read(Manifests.repositoryRoot().resolve("docs/CONFIGURATION.md")));
    }

    /** Every key the processes read through Settings, found in the modules' main sources. */
    static Set<String> keysReadBySources() {
        try (Stream<Path> files = Files.walk(Manifests.repositoryRoot(), 8)) {
            Set<String> keys = new TreeSet<>();
            files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/"))
                    .forEach(f -> keys.addAll(matches(SETTINGS_READ, read(f))));
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        Set<String> found = new LinkedHashSet<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
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
