package dev.kubani.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The known cluster variables (seed 002 "Global Variables" plus Kubani's own), with their
 * types and checks. Unknown variables are allowed; known ones are checked before any write.
 */
public final class VarSchema {
    public enum Type { STR, INT, BOOL, JSON }

    public record Spec(String name, Type type, String description, Function<Object, String> check) {
        /** Null when fine, else what is wrong. Jinja templates are Ansible's to resolve: not checked. */
        public String validate(Object value) {
            if (isTemplate(value)) {
                return null;
            }
            String typeErr = switch (type) {
                case STR -> value instanceof String ? null
                        : "must be a string" + (value == null ? "" : ", got " + describe(value));
                case INT -> value instanceof Long || value instanceof Integer ? null
                        : "must be a whole number, got " + describe(value);
                case BOOL -> value instanceof Boolean ? null
                        : "must be true or false (unquoted), got " + describe(value);
                case JSON -> null;
            };
            if (typeErr != null) {
                return typeErr;
            }
            return check == null ? null : check.apply(value);
        }
    }

    private static final Map<String, Spec> KNOWN = new LinkedHashMap<>();

    static {
        str("k3s_version", "K3s version to install, e.g. v1.31.4+k3s1", v -> Rules.k3sVersion((String) v));
        str("k0s_version", "k0s version for k8s_distribution=k0s, e.g. v1.31.3+k0s.0", v -> Rules.k0sVersion((String) v));
        str("cluster_name", "name of the cluster (also the kubeconfig context)", v -> Rules.dnsLabel((String) v));
        str("cluster_domain", "cluster DNS domain (default cluster.local)", v -> Rules.dnsName((String) v));
        str("domain", "your public domain (CLUSTER_DOMAIN in gitops): services get postgres., redis. and auth. names under it",
                v -> Rules.dnsName((String) v));
        str("cluster_cidr", "pod network CIDR (default 10.42.0.0/16)", v -> Rules.cidr((String) v));
        str("service_cidr", "service network CIDR (default 10.43.0.0/16)", v -> Rules.cidr((String) v));
        str("tailscale_network", "Tailscale network CIDR (default 100.64.0.0/10)", v -> Rules.cidr((String) v));
        bool("gitops_enabled", "install Flux and sync gitops/ (default true)");
        str("git_repo_url", "Git repository Flux syncs from (empty: not set up yet)",
                v -> ((String) v).isEmpty() ? null : Rules.gitUrl((String) v));
        str("git_branch", "Git branch Flux follows (default main)", v -> Rules.gitRef((String) v));
        str("git_path", "path in the repository Flux applies (default gitops)", null);
        str("flux_namespace", "namespace of the Flux controllers (default flux-system)", v -> Rules.dnsLabel((String) v));
        bool("monitoring_enabled", "deploy the monitoring stack (default false)");
        bool("gpu_sharing_enabled", "time-slice NVIDIA GPUs between pods (default true)");
        add(new Spec("gpu_timeslicing_replicas", Type.INT, "pods that may share one GPU (default 4)",
                v -> ((Number) v).longValue() >= 1 && ((Number) v).longValue() <= 64 ? null : "must be between 1 and 64"));
        str("k8s_distribution", "k3s (default) or k0s",
                v -> List.of("k3s", "k0s").contains(v) ? null : "'" + v + "' must be k3s or k0s");
        str("reserved_cpu", "CPU kept for the workstation, e.g. \"2\"", v -> Rules.quantity((String) v));
        str("reserved_memory", "memory kept for the workstation, e.g. \"4Gi\"", v -> Rules.quantity((String) v));
        bool("gpu", "the node has an NVIDIA GPU");
        add(new Spec("node_labels", Type.JSON, "Kubernetes labels for the node", VarSchema::labels));
        add(new Spec("node_taints", Type.JSON, "Kubernetes taints for the node", VarSchema::taints));
        add(new Spec("worker_count", Type.INT, "number of workers (lab)", v -> ((Number) v).longValue() >= 0 ? null : "must not be negative"));
    }

    private VarSchema() {
    }

    private static void str(String n, String d, Function<Object, String> c) {
        add(new Spec(n, Type.STR, d, c));
    }

    private static void bool(String n, String d) {
        add(new Spec(n, Type.BOOL, d, null));
    }

    private static void add(Spec s) {
        KNOWN.put(s.name(), s);
    }

    public static Spec spec(String name) {
        return KNOWN.get(name);
    }

    public static Map<String, Spec> all() {
        return KNOWN;
    }

    /** A value with Jinja markup ("{{ ... }}" or "{% ... %}"), resolved by Ansible at run time. */
    public static boolean isTemplate(Object v) {
        return v instanceof String s && (s.contains("{{") || s.contains("{%"));
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing (null)";
        }
        if (v instanceof String s) {
            return "the text \"" + s + "\"";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        return String.valueOf(v);
    }

    static String labels(Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            return "must be a mapping of label keys to values, e.g. {\"env\": \"prod\"}";
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String err = Rules.labelKey(String.valueOf(e.getKey()));
            if (err != null) {
                return err;
            }
            if (!(e.getValue() instanceof String s)) {
                return "label '" + e.getKey() + "' must have a quoted string value (e.g. \"true\"), got "
                        + describe(e.getValue());
            }
            err = Rules.labelValue(s);
            if (err != null) {
                return err;
            }
        }
        return null;
    }

    static String taints(Object v) {
        if (!(v instanceof List<?> l)) {
            return "must be a list of {key, value, effect}";
        }
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> m)) {
                return "each taint must be a mapping with key, value and effect";
            }
            Object k = m.get("key");
            Object val = m.get("value");
            Object eff = m.get("effect");
            if (!(k instanceof String) || !(eff instanceof String) || val != null && !(val instanceof String)) {
                return "each taint needs a string key and effect (and optionally a quoted string value)";
            }
            for (Object key : m.keySet()) {
                if (!List.of("key", "value", "effect").contains(String.valueOf(key))) {
                    return "taint field '" + key + "' is unknown; use key, value and effect";
                }
            }
            String err = Rules.taint(new NodeTaint((String) k, val == null ? "" : (String) val, (String) eff));
            if (err != null) {
                return err;
            }
        }
        return null;
    }
}
