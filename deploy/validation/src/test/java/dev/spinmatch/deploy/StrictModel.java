package dev.spinmatch.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an object against the Kubernetes API schema as strictly as the API server's
 * {@code --validate=strict}: built-in kinds must parse into the fabric8 model classes with no
 * field left over (fabric8 keeps unknown fields in "additionalProperties"; any there is an error)
 * and no scalar coerced to another type; custom resources are checked against crd-structure.yaml.
 */
final class StrictModel {
    private static final Map<String, Class<?>> BUILT_IN = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/Job", Job.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    private static final JsonMapper MODEL = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build();
    private static final Map<String, Object> CRDS = loadCrdStructure();

    private StrictModel() {
    }

    /** What is wrong with the object; empty when it is valid. */
    static List<String> problems(K8sObject object) {
        String type = object.apiVersion() + "/" + object.kind();
        List<String> problems = new ArrayList<>();
        if (BUILT_IN.containsKey(type)) {
            checkModel(object.data(), BUILT_IN.get(type), object.id(), problems);
        } else if (CRDS.containsKey(type)) {
            checkCustomResource(object, CRDS.get(type), problems);
        } else {
            problems.add(object.id() + ": no schema known for " + type);
        }
        return problems;
    }

    private static void checkCustomResource(K8sObject object, Object specSchema, List<String> problems) {
        for (String key : object.data().keySet()) {
            if (!List.of("apiVersion", "kind", "metadata", "spec").contains(key)) {
                problems.add(object.id() + ": unknown field " + key);
            }
        }
        checkModel(object.map("metadata"), ObjectMeta.class, object.id() + " metadata", problems);
        checkNode(object.at("spec").orElse(null), specSchema, object.id() + " spec", problems);
    }

    private static void checkModel(Object data, Class<?> type, String path, List<String> problems) {
        try {
            walk(MODEL.convertValue(data, type), path, problems);
        } catch (RuntimeException e) {
            problems.add(path + ": does not parse as " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkNode(Object value, Object schema, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (schema instanceof Map<?, ?> fields) {
            if (!(value instanceof Map<?, ?> map)) {
                problems.add(path + ": expected an object");
                return;
            }
            map.forEach((key, child) -> {
                if (!fields.containsKey(key)) {
                    problems.add(path + ": unknown field " + key);
                } else {
                    checkNode(child, fields.get(key), path + "." + key, problems);
                }
            });
        } else if (schema instanceof List<?> element) {
            if (!(value instanceof List<?> items)) {
                problems.add(path + ": expected a list");
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                checkNode(items.get(i), element.get(0), path + "[" + i + "]", problems);
            }
        } else {
            checkLeaf(value, (String) schema, path, problems);
        }
    }

    private static void checkLeaf(Object value, String type, String path, List<String> problems) {
        boolean ok = switch (type) {
            case "string" -> value instanceof String;
            case "int" -> value instanceof Integer || value instanceof Long;
            case "bool" -> value instanceof Boolean;
            case "map" -> value instanceof Map<?, ?> m && m.values().stream().noneMatch(
                    v -> v instanceof Map || v instanceof Collection);
            case "quantity" -> isQuantity(value);
            case "any" -> true;
            default -> {
                if (!type.startsWith("fabric8:")) {
                    throw new IllegalStateException("crd-structure.yaml: unknown type " + type);
                }
                checkModel(value, load(type.substring("fabric8:".length())), path, problems);
                yield true;
            }
        };
        if (!ok) {
            problems.add(path + ": expected " + type + " but was " + value);
        }
    }

    private static boolean isQuantity(Object value) {
        try {
            Quantity.getAmountInBytes(new Quantity(String.valueOf(value)));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Every fabric8 model object keeps the fields its class does not know in additionalProperties. */
    private static void walk(Object node, String path, List<String> problems) {
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", problems);
            }
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems));
        } else if (node != null && node.getClass().getName().startsWith("io.fabric8.")) {
            for (Method getter : node.getClass().getMethods()) {
                walkProperty(node, getter, path, problems);
            }
        }
    }

    private static void walkProperty(Object node, Method getter, String path, List<String> problems) {
        if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
            return;
        }
        Object value = invoke(node, getter);
        if (getter.getName().equals("getAdditionalProperties")) {
            if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                problems.add(path + ": unknown field(s) " + extra.keySet());
            }
        } else {
            walk(value, path + "." + decapitalize(getter.getName().substring(3)), problems);
        }
    }

    private static Object invoke(Object node, Method getter) {
        try {
            return getter.invoke(node);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter.toString(), e);
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("crd-structure.yaml names a missing class " + className, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadCrdStructure() {
        try (InputStream in = StrictModel.class.getResourceAsStream("/crd-structure.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
