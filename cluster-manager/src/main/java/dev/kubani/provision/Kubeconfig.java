package dev.kubani.provision;

import dev.kubani.core.KubaniException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Merges a fetched cluster kubeconfig into the user's kubeconfig under one name (cluster_name)
 * for its cluster, user and context. Entries of that name are replaced, all others kept; the
 * current context changes only when asked (or when there was none). The file is written
 * atomically with mode 0600 while holding {@code <file>.lock} (kubectl's lock convention).
 * Its content is never printed.
 */
public final class Kubeconfig {
    /** What a merge did (no secrets). */
    public record Merged(Path file, String context, String server, boolean switched, String currentContext) {
    }

    private Kubeconfig() {
    }

    /** The merged document as text. */
    @SuppressWarnings("unchecked")
    public static String merge(String existing, String fetched, String name, boolean switchContext) {
        Map<String, Object> src = load(fetched, "the fetched kubeconfig");
        Map<String, Object> dst = existing == null || existing.isBlank() ? new LinkedHashMap<>()
                : load(existing, "the existing kubeconfig");
        Map<String, Object> ctx = pick(src, "contexts", name, (String) src.get("current-context"));
        if (ctx == null || !(ctx.get("context") instanceof Map)) {
            throw KubaniException.failed("the fetched kubeconfig has no context; fetch it again with "
                    + "'cluster-mgr provision --tags kubeconfig'");
        }
        Map<String, Object> c = (Map<String, Object>) ctx.get("context");
        Map<String, Object> cluster = pick(src, "clusters", String.valueOf(c.get("cluster")), null);
        Map<String, Object> user = pick(src, "users", String.valueOf(c.get("user")), null);
        if (cluster == null || user == null) {
            throw KubaniException.failed("the fetched kubeconfig's context '" + ctx.get("name")
                    + "' names a cluster or user it does not define; fetch it again with 'cluster-mgr provision --tags kubeconfig'");
        }
        Map<String, Object> newCtx = new LinkedHashMap<>();
        Map<String, Object> body = new LinkedHashMap<>(c);
        body.put("cluster", name);
        body.put("user", name);
        newCtx.put("name", name);
        newCtx.put("context", body);
        Map<String, Object> newCluster = new LinkedHashMap<>(cluster);
        newCluster.put("name", name);
        Map<String, Object> newUser = new LinkedHashMap<>(user);
        newUser.put("name", name);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", dst.getOrDefault("apiVersion", "v1"));
        out.put("kind", dst.getOrDefault("kind", "Config"));
        for (Map.Entry<String, Object> e : dst.entrySet()) {
            out.putIfAbsent(e.getKey(), e.getValue());
        }
        out.put("clusters", replace(dst.get("clusters"), newCluster, name));
        out.put("users", replace(dst.get("users"), newUser, name));
        out.put("contexts", replace(dst.get("contexts"), newCtx, name));
        Object cur = dst.get("current-context");
        if (switchContext || cur == null || String.valueOf(cur).isBlank()) {
            out.put("current-context", name);
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setSplitLines(false);
        return new Yaml(o).dump(out);
    }

    /** The server URL of context {@code name} in a kubeconfig text, or null. */
    @SuppressWarnings("unchecked")
    public static String server(String text, String name) {
        Map<String, Object> doc = load(text, "the kubeconfig");
        Map<String, Object> ctx = pick(doc, "contexts", name, null);
        if (ctx == null || !(ctx.get("context") instanceof Map<?, ?> c)) {
            return null;
        }
        Map<String, Object> cl = pick(doc, "clusters", String.valueOf(c.get("cluster")), null);
        if (cl == null || !(cl.get("cluster") instanceof Map<?, ?> body)) {
            return null;
        }
        Object s = ((Map<String, Object>) body).get("server");
        return s == null ? null : String.valueOf(s);
    }

    /** Merges {@code fetched} into {@code target} on disk. */
    public static Merged mergeInto(Path target, String fetched, String name, boolean switchContext) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path lock = dir.resolve(target.getFileName() + ".lock");
        dev.kubani.util.AtomicFile.acquireLockFile(lock, java.time.Duration.ofSeconds(10), lock
                + " is held by another program (kubectl?); if none runs, delete the lock file and try again");
        try {
            String existing = Files.exists(target) ? Files.readString(target, StandardCharsets.UTF_8) : null;
            String merged = merge(existing, fetched, name, switchContext);
            dev.kubani.util.AtomicFile.write(target, merged, dev.kubani.util.AtomicFile.PRIVATE);
            Map<String, Object> doc = load(merged, "the merged kubeconfig");
            String cur = doc.get("current-context") == null ? null : String.valueOf(doc.get("current-context"));
            boolean switched = name.equals(cur) && (existing == null || !name.equals(currentOf(existing)));
            return new Merged(target, name, server(merged, name), switched, cur);
        } finally {
            Files.deleteIfExists(lock);
        }
    }

    private static String currentOf(String text) {
        try {
            Object c = load(text, "kubeconfig").get("current-context");
            return c == null ? null : String.valueOf(c);
        } catch (KubaniException e) {
            return null;
        }
    }



    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String text, String what) {
        try {
            Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            if (o instanceof Map<?, ?> m) {
                return new LinkedHashMap<>((Map<String, Object>) m);
            }
            if (o == null) {
                return new LinkedHashMap<>();
            }
        } catch (YAMLException e) {
            // fall through: never echo the content, it holds credentials
        }
        throw KubaniException.unexpectedState(what + " is not a kubeconfig (YAML mapping); move it aside and run again");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pick(Map<String, Object> doc, String list, String name, String fallback) {
        if (!(doc.get(list) instanceof List<?> l)) {
            return null;
        }
        Map<String, Object> first = null;
        Map<String, Object> fb = null;
        for (Object o : l) {
            if (o instanceof Map<?, ?> m) {
                Map<String, Object> mm = (Map<String, Object>) m;
                if (first == null) {
                    first = mm;
                }
                if (name != null && name.equals(String.valueOf(mm.get("name")))) {
                    return mm;
                }
                if (fallback != null && fallback.equals(String.valueOf(mm.get("name")))) {
                    fb = mm;
                }
            }
        }
        return fb != null ? fb : list.equals("contexts") ? first : null;
    }

    private static List<Object> replace(Object existing, Map<String, Object> entry, String name) {
        List<Object> out = new ArrayList<>();
        if (existing instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> m && name.equals(String.valueOf(m.get("name"))))) {
                    out.add(o);
                }
            }
        }
        out.add(entry);
        return out;
    }
}
