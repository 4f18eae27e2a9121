package dev.spinmatch.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The manifests under deploy/: each overlay rendered by {@code kubectl kustomize}, and the reference files. */
final class Manifests {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("deploy/k8s not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path deploy() {
        return repositoryRoot().resolve("deploy");
    }

    /** Names of the overlays under deploy/k8s/overlays (dev, prod). */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(deploy().resolve("k8s/overlays"))) {
            return dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects an overlay renders to (rendered once per test JVM, parsed afresh: callers may change them). */
    static List<K8sObject> rendered(String overlay) {
        return parse(RENDERED.computeIfAbsent(overlay, o -> kustomize(deploy().resolve("k8s/overlays/" + o))));
    }

    static List<K8sObject> reference() {
        try (Stream<Path> files = Files.list(deploy().resolve("reference"))) {
            List<K8sObject> objects = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                objects.addAll(parse(Files.readString(file)));
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code kubectl kustomize DIR}; kubectl comes from Debian's kubernetes-client in CI. */
    static String kustomize(Path dir) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed:\n" + err);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("kubectl not found: install Debian's kubernetes-client", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<K8sObject> parse(String yaml) {
        try (MappingIterator<Map<String, Object>> docs = YAML.readerFor(Map.class).readValues(yaml)) {
            List<K8sObject> objects = new ArrayList<>();
            while (docs.hasNext()) {
                Map<String, Object> doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    objects.add(new K8sObject(doc));
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
