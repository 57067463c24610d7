package dev.kubani.inventory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A Kubernetes taint: key=value:Effect. */
public record NodeTaint(String key, String value, String effect) {
    public static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    /**
     * Parses "key=value:Effect" or "key:Effect". Returns null when the text has no such shape;
     * the parts themselves are checked by {@link Rules}.
     */
    public static NodeTaint parse(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String effect = s.substring(colon + 1);
        String kv = s.substring(0, colon);
        int eq = kv.indexOf('=');
        return eq < 0 ? new NodeTaint(kv, "", effect) : new NodeTaint(kv.substring(0, eq), kv.substring(eq + 1), effect);
    }

    public Map<String, Object> toInventory() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        if (value != null && !value.isEmpty()) {
            m.put("value", value);
        }
        m.put("effect", effect);
        return m;
    }

    @Override
    public String toString() {
        return key + (value == null || value.isEmpty() ? "" : "=" + value) + ":" + effect;
    }
}
