package dev.kubani.lab;

import dev.kubani.core.KubaniException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Puts the lab's kubeconfig (from 'k0sctl kubeconfig' or a file) under one name and writes it
 * (atomically, mode 0600). Merging into the user's kubeconfig is provision.Kubeconfig.mergeInto,
 * shared with 'cluster-mgr provision'. Kubeconfig contents never reach output: errors name files
 * and fields only.
 */
public final class KubeconfigMerge {
    private KubeconfigMerge() {
    }

    /**
     * The kubeconfig in {@code text} reduced to its current context (or only context), with the
     * cluster, user and context all called {@code name} and that context current.
     */
    public static Map<String, Object> renamed(String text, String name, String source) {
        Map<String, Object> doc = parse(text, source);
        List<Map<String, Object>> contexts = list(doc, "contexts", source);
        if (contexts.isEmpty()) {
            throw KubaniException.failed(source + " has no contexts; it is not a usable kubeconfig");
        }
        Map<String, Object> ctx = null;
        Object cur = doc.get("current-context");
        for (Map<String, Object> c : contexts) {
            if (cur != null && cur.equals(c.get("name"))) {
                ctx = c;
            }
        }
        if (ctx == null) {
            ctx = contexts.get(0);
        }
        if (!(ctx.get("context") instanceof Map<?, ?> cbody)) {
            throw KubaniException.failed(source + ": context '" + ctx.get("name") + "' has no 'context' fields");
        }
        Map<String, Object> cluster = named(list(doc, "clusters", source), cbody.get("cluster"), "cluster", source);
        Map<String, Object> user = named(list(doc, "users", source), cbody.get("user"), "user", source);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", "v1");
        out.put("kind", "Config");
        out.put("clusters", new ArrayList<>(List.of(entry(name, "cluster", cluster.get("cluster")))));
        out.put("users", new ArrayList<>(List.of(entry(name, "user", user.get("user")))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cluster", name);
        body.put("user", name);
        if (cbody.get("namespace") != null) {
            body.put("namespace", cbody.get("namespace"));
        }
        out.put("contexts", new ArrayList<>(List.of(entry(name, "context", body))));
        out.put("current-context", name);
        out.put("preferences", new LinkedHashMap<>());
        return out;
    }

    /** Writes {@code text} atomically (temp file created 0600, fsync, rename, directory fsync). */
    public static void writeSecret(Path file, String text) throws IOException {
        dev.kubani.util.AtomicFile.write(file, text, dev.kubani.util.AtomicFile.PRIVATE);
    }

    public static String dump(Map<String, Object> doc) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        o.setSplitLines(false);
        return new Yaml(o).dump(doc);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String text, String source) {
        Object o;
        try {
            o = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            // the parser's message can quote the file's content, so it is not repeated here
            throw KubaniException.failed(source + " is not valid YAML; it is not a usable kubeconfig");
        }
        if (o == null) {
            return new LinkedHashMap<>();
        }
        if (!(o instanceof Map<?, ?> m)) {
            throw KubaniException.failed(source + " is not a kubeconfig (expected a YAML mapping)");
        }
        return new LinkedHashMap<>((Map<String, Object>) m);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> doc, String key, String source) {
        Object v = doc.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw KubaniException.failed(source + ": '" + key + "' must be a list");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : l) {
            if (!(item instanceof Map<?, ?> m)) {
                throw KubaniException.failed(source + ": every entry of '" + key + "' must be a mapping with a name");
            }
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    private static Map<String, Object> named(List<Map<String, Object>> items, Object name, String what, String source) {
        for (Map<String, Object> m : items) {
            if (name != null && name.equals(m.get("name"))) {
                return m;
            }
        }
        throw KubaniException.failed(source + ": the current context names " + what + " '" + name + "', which is not in the file");
    }

    private static Map<String, Object> entry(String name, String key, Object body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put(key, body);
        return m;
    }
}
