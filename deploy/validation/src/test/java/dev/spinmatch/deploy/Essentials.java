package dev.spinmatch.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a rendered overlay must get right beyond the schema. Each check returns the problems it
 * found (empty = fine), so the tests can show both that the overlays pass and that a broken
 * object is caught.
 */
final class Essentials {
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private Essentials() {
    }

    static List<K8sObject> workloads(List<K8sObject> objects) {
        return objects.stream().filter(o -> o.kind().equals("Deployment") || o.kind().equals("Job")).toList();
    }

    /** Deployments answer liveness on /healthz and readiness on /readyz, on a port they declare. */
    static List<String> probes(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject deployment : objects.stream().filter(o -> o.kind().equals("Deployment")).toList()) {
            for (Map<String, Object> container : deployment.containers()) {
                String where = deployment.id() + " container " + container.get("name");
                probe(container, "livenessProbe", "/healthz", where, problems);
                probe(container, "readinessProbe", "/readyz", where, problems);
            }
        }
        return problems;
    }

    private static void probe(Map<String, Object> container, String probe, String path, String where, List<String> problems) {
        K8sObject c = new K8sObject(container);
        Optional<String> actual = c.string(probe, "httpGet", "path");
        if (actual.isEmpty() || !actual.get().equals(path)) {
            problems.add(where + ": " + probe + " must GET " + path + " but is " + actual.orElse("missing"));
            return;
        }
        String port = c.string(probe, "httpGet", "port").orElse("");
        boolean declared = c.list("ports").stream().anyMatch(
                p -> port.equals(String.valueOf(p.get("name"))) || port.equals(String.valueOf(p.get("containerPort"))));
        if (!declared) {
            problems.add(where + ": " + probe + " port " + port + " is not a declared container port");
        }
    }

    /** Every container requests and is limited in cpu and memory; memory request = limit (the heap is 75% of it). */
    static List<String> resources(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject workload : workloads(objects)) {
            for (Map<String, Object> container : workload.containers()) {
                K8sObject c = new K8sObject(container);
                String where = workload.id() + " container " + container.get("name");
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        if (c.string("resources", kind, resource).isEmpty()) {
                            problems.add(where + ": resources." + kind + "." + resource + " missing");
                        }
                    }
                }
                if (!Objects.equals(c.string("resources", "requests", "memory"), c.string("resources", "limits", "memory"))) {
                    problems.add(where + ": memory request differs from its limit");
                }
            }
        }
        return problems;
    }

    /** Pods run as a non-root user, without privilege escalation, on a read-only root with a writable /tmp. */
    static List<String> nonRoot(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject workload : workloads(objects)) {
            K8sObject pod = new K8sObject(workload.podSpec());
            if (!pod.at("securityContext", "runAsNonRoot").equals(Optional.of(true))) {
                problems.add(workload.id() + ": securityContext.runAsNonRoot is not true");
            }
            if (pod.at("securityContext", "runAsUser").map(u -> ((Number) u).longValue() == 0).orElse(true)) {
                problems.add(workload.id() + ": securityContext.runAsUser must be a non-zero uid");
            }
            for (Map<String, Object> container : workload.containers()) {
                containerSecurity(new K8sObject(container), workload.id() + " container " + container.get("name"), problems);
            }
        }
        return problems;
    }

    private static void containerSecurity(K8sObject c, String where, List<String> problems) {
        if (!c.at("securityContext", "allowPrivilegeEscalation").equals(Optional.of(false))) {
            problems.add(where + ": allowPrivilegeEscalation is not false");
        }
        if (!c.at("securityContext", "readOnlyRootFilesystem").equals(Optional.of(true))) {
            problems.add(where + ": readOnlyRootFilesystem is not true");
        }
        if (c.list("volumeMounts").stream().noneMatch(m -> "/tmp".equals(m.get("mountPath")))) {
            problems.add(where + ": no writable /tmp (the JVM and Kafka's codecs need one)");
        }
    }

    /** The stop budget each component's process takes after SIGTERM, by its ConfigMap key. */
    static final Map<String, String> SHUTDOWN_BUDGET = Map.of(
            "api", "SPINMATCH_API_SHUTDOWN_DRAIN", "worker", "SPINMATCH_WORKER_SHUTDOWN_GRACE");

    /**
     * The kubelet sends SIGKILL terminationGracePeriodSeconds after the preStop hook starts: it must
     * cover the preStop pause plus the process's own stop budget, with 5 s to spare.
     */
    static List<String> gracePeriods(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject deployment : objects.stream().filter(o -> o.kind().equals("Deployment")).toList()) {
            String component = deployment.string("spec", "template", "metadata", "labels", "app.kubernetes.io/component").orElse("");
            Optional<String> budgetKey = Optional.ofNullable(SHUTDOWN_BUDGET.get(component));
            Optional<String> budget = budgetKey.flatMap(k -> configValue(objects, k));
            if (budget.isEmpty()) {
                problems.add(deployment.id() + ": no shutdown budget " + budgetKey.orElse("(unknown component)") + " in the ConfigMap");
                continue;
            }
            int grace = deployment.at("spec", "template", "spec", "terminationGracePeriodSeconds")
                    .map(g -> ((Number) g).intValue()).orElse(30);
            int needed = preStopSeconds(deployment) + seconds(budget.get()) + 5;
            if (grace < needed) {
                problems.add(deployment.id() + ": terminationGracePeriodSeconds " + grace + " < " + needed
                        + " (preStop + " + budgetKey.get() + " " + budget.get() + " + 5 s)");
            }
        }
        return problems;
    }

    private static int preStopSeconds(K8sObject deployment) {
        return deployment.containers().stream()
                .map(c -> new K8sObject(c).at("lifecycle", "preStop", "exec", "command"))
                .flatMap(Optional::stream).map(c -> (List<?>) c)
                .filter(c -> c.size() == 2 && "sleep".equals(c.get(0)))
                .mapToInt(c -> Integer.parseInt(String.valueOf(c.get(1)))).max().orElse(0);
    }

    /** Settings durations in whole seconds: {@code 20s}, {@code 1m}, {@code 500ms} (rounded up). */
    static int seconds(String duration) {
        String d = duration.trim().toLowerCase();
        if (d.endsWith("ms")) {
            return (Integer.parseInt(d.substring(0, d.length() - 2)) + 999) / 1000;
        }
        int amount = Integer.parseInt(d.substring(0, d.length() - 1));
        return d.endsWith("m") ? amount * 60 : amount;
    }

    /**
     * Workers scale on lag but never above the partitions of the topic they consume: a consumer
     * beyond the partition count holds no partition and only costs a rebalance.
     */
    static List<String> workerScaling(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        List<K8sObject> scaledObjects = objects.stream().filter(o -> o.kind().equals("ScaledObject")).toList();
        if (scaledObjects.isEmpty()) {
            problems.add("no ScaledObject scales the workers");
        }
        String requests = configValue(objects, "SPINMATCH_TOPIC_REQUESTS").orElse("spin.requests");
        String group = configValue(objects, "SPINMATCH_WORKER_GROUP_ID").orElse("(unset)");
        for (K8sObject scaled : scaledObjects) {
            String target = scaled.string("spec", "scaleTargetRef", "name").orElse("?");
            if (objects.stream().noneMatch(o -> o.is("Deployment", target))) {
                problems.add(scaled.id() + ": scales Deployment " + target + ", which is not rendered");
            }
            int max = scaled.at("spec", "maxReplicaCount").map(m -> ((Number) m).intValue()).orElse(100);
            for (Map<String, Object> trigger : scaled.list("spec", "triggers")) {
                kafkaTrigger(scaled, new K8sObject(trigger), max, requests, objects, problems);
                String triggerGroup = new K8sObject(trigger).string("metadata", "consumerGroup").orElse("");
                if (!triggerGroup.equals(group)) {
                    problems.add(scaled.id() + ": watches group '" + triggerGroup + "' but workers join " + group);
                }
            }
        }
        return problems;
    }

    private static void kafkaTrigger(K8sObject scaled, K8sObject trigger, int max, String requests,
                                     List<K8sObject> objects, List<String> problems) {
        String topic = trigger.string("metadata", "topic").orElse("");
        if (!topic.equals(requests)) {
            problems.add(scaled.id() + ": scales on topic '" + topic + "' but workers consume " + requests);
        }
        if (trigger.string("metadata", "allowIdleConsumers").orElse("false").equals("true")) {
            problems.add(scaled.id() + ": allowIdleConsumers lets KEDA scale above the partition count");
        }
        Optional<Integer> partitions = partitions(objects, topic);
        if (partitions.isEmpty()) {
            problems.add(scaled.id() + ": no KafkaTopic defines " + topic + "'s partitions");
        } else if (max > partitions.get()) {
            problems.add(scaled.id() + ": maxReplicaCount " + max + " exceeds the " + partitions.get() + " partitions of " + topic);
        }
    }

    static Optional<Integer> partitions(List<K8sObject> objects, String topic) {
        return objects.stream()
                .filter(o -> o.kind().equals("KafkaTopic") && topic.equals(o.string("spec", "topicName").orElse(o.name())))
                .findFirst().flatMap(o -> o.at("spec", "partitions")).map(p -> ((Number) p).intValue());
    }

    static Optional<String> configValue(List<K8sObject> objects, String key) {
        return objects.stream().filter(o -> o.kind().equals("ConfigMap"))
                .map(o -> o.map("data").get(key)).filter(Objects::nonNull).map(String::valueOf).findFirst();
    }

    /** Service, PodDisruptionBudget and PodMonitor selectors each match the pods of some Deployment. */
    @SuppressWarnings("unchecked")
    static List<String> selectors(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject o : objects) {
            Map<String, Object> selector = switch (o.kind()) {
                case "Service" -> o.map("spec", "selector");
                case "PodDisruptionBudget" -> o.map("spec", "selector", "matchLabels");
                default -> null;
            };
            if (selector != null && !selectsSomePod(objects, selector)) {
                problems.add(o.id() + ": selector " + selector + " matches no Deployment's pods");
            }
            if (o.kind().equals("PodMonitor")) {
                podMonitor(o, objects, problems);
            }
        }
        return problems;
    }

    private static boolean selectsSomePod(List<K8sObject> objects, Map<String, Object> selector) {
        return objects.stream().filter(d -> d.kind().equals("Deployment"))
                .anyMatch(d -> d.map("spec", "template", "metadata", "labels").entrySet().containsAll(selector.entrySet()));
    }

    @SuppressWarnings("unchecked")
    private static void podMonitor(K8sObject monitor, List<K8sObject> objects, List<String> problems) {
        for (K8sObject deployment : objects.stream().filter(d -> d.kind().equals("Deployment")).toList()) {
            Map<String, Object> labels = deployment.map("spec", "template", "metadata", "labels");
            boolean selected = monitor.list("spec", "selector", "matchExpressions").stream().allMatch(
                    e -> "In".equals(e.get("operator")) && ((List<Object>) e.get("values")).contains(labels.get(e.get("key"))))
                    && labels.entrySet().containsAll(monitor.map("spec", "selector", "matchLabels").entrySet());
            if (!selected) {
                problems.add(monitor.id() + ": does not scrape " + deployment.id());
            }
        }
    }

    /** An env value's $(NAME) only expands when NAME is defined earlier in the same container. */
    static List<String> variableReferences(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject workload : workloads(objects)) {
            for (Map<String, Object> container : workload.containers()) {
                List<String> defined = new ArrayList<>();
                for (Map<String, Object> env : new K8sObject(container).list("env")) {
                    Matcher m = VARIABLE_REFERENCE.matcher(String.valueOf(env.getOrDefault("value", "")));
                    while (m.find()) {
                        if (!defined.contains(m.group(1))) {
                            problems.add(workload.id() + ": env " + env.get("name") + " uses $(" + m.group(1) + ") before it is defined");
                        }
                    }
                    defined.add(String.valueOf(env.get("name")));
                }
            }
        }
        return problems;
    }
}
