package dev.kubani.sops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code sops} block of a file: age recipients with the wrapped data key, lastmodified, the
 * encrypted MAC, the one encryption rule, mac_only_encrypted and the version. Other key types
 * (pgp, kms, ...) are noted only to explain that Kubani cannot use them.
 */
public record Metadata(List<AgeEntry> age, List<String> otherKeyTypes, String lastModified, String mac,
                       CryptRule rule, boolean macOnlyEncrypted, String version) {

    /** The version written into files Kubani encrypts: the sops release whose format they follow. */
    public static final String FORMAT_VERSION = "3.10.2";

    private static final List<String> OTHER_KEYS = List.of("kms", "gcp_kms", "azure_kv", "hc_vault", "pgp", "hckms");

    /** One age recipient and the data key encrypted (armored) to it. */
    public record AgeEntry(String recipient, String enc) {
    }

    // ------------------------------------------------------------------ reading

    static Metadata fromMap(Object raw, String source) {
        if (!(raw instanceof Map<?, ?> m)) {
            throw SopsException.invalid(source + ": the 'sops' metadata is not a mapping");
        }
        List<AgeEntry> age = new ArrayList<>();
        List<String> other = new ArrayList<>();
        readKeys(m, age, other, source, "sops");
        Object groups = m.get("key_groups");
        if (groups instanceof List<?> gl && !gl.isEmpty()) {
            if (gl.size() > 1) {
                throw SopsException.invalid(source + ": sops.key_groups has " + gl.size()
                        + " groups (Shamir secret sharing); Kubani reads files with one key group: use sops itself");
            }
            if (!(gl.get(0) instanceof Map<?, ?> g)) {
                throw SopsException.invalid(source + ": sops.key_groups[0] is not a mapping");
            }
            readKeys(g, age, other, source, "sops.key_groups[0]");
        }
        String lastModified = string(m.get("lastmodified"), "sops.lastmodified", source, true);
        String mac = string(m.get("mac"), "sops.mac", source, true);
        CryptRule rule = null;
        for (String k : CryptRule.ALL_KEYS) {
            Object v = m.get(k);
            if (v == null || v instanceof String s && s.isEmpty()) {
                continue;
            }
            if (rule != null) {
                throw SopsException.invalid(source + ": sops metadata sets both " + rule.kind().key + " and " + k
                        + "; a file may use only one encryption rule");
            }
            rule = CryptRule.byKey(k, string(v, "sops." + k, source, true));
        }
        Object moe = m.get("mac_only_encrypted");
        boolean macOnly = Boolean.TRUE.equals(moe) || "true".equals(moe);
        String version = m.get("version") == null ? "" : String.valueOf(m.get("version"));
        return new Metadata(age, other, lastModified, mac, rule == null ? CryptRule.DEFAULT : rule, macOnly, version);
    }

    private static void readKeys(Map<?, ?> m, List<AgeEntry> age, List<String> other, String source, String where) {
        Object a = m.get("age");
        if (a instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof Map<?, ?> e)) {
                    throw SopsException.invalid(source + ": " + where + ".age[" + i + "] is not a mapping");
                }
                age.add(new AgeEntry(string(e.get("recipient"), where + ".age[" + i + "].recipient", source, false),
                        string(e.get("enc"), where + ".age[" + i + "].enc", source, true)));
            }
        } else if (a != null) {
            throw SopsException.invalid(source + ": " + where + ".age is not a list");
        }
        for (String k : OTHER_KEYS) {
            if (m.get(k) instanceof List<?> l && !l.isEmpty()) {
                other.add(k);
            }
        }
    }

    private static String string(Object v, String field, String source, boolean required) {
        if (v == null) {
            if (required) {
                throw SopsException.invalid(source + ": " + field + " is missing from the sops metadata");
            }
            return "";
        }
        if (v instanceof Map || v instanceof List) {
            throw SopsException.invalid(source + ": " + field + " must be a string");
        }
        return String.valueOf(v);
    }

    /** Metadata from dotenv's flattened sops_* keys (already stripped of the prefix). */
    static Metadata fromFlat(Map<String, String> flat, String source) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            unflattenInto(root, e.getKey(), e.getValue(), source);
        }
        return fromMap(listify(root), source);
    }

    private static final Pattern TOKEN = Pattern.compile("__list_(\\d{1,6})|__map_");
    private static final String LIST_MARK = "\u0000";
    private static final Pattern LIST_KEY = Pattern.compile("\u0000\\d{1,6}");

    /** Builds nested maps from a flattened key; lists are kept as maps keyed "#N" until listify. */
    @SuppressWarnings("unchecked")
    private static void unflattenInto(Map<String, Object> root, String key, String value, String source) {
        Matcher m = TOKEN.matcher(key);
        List<String> parts = new ArrayList<>();
        int last = 0;
        while (m.find()) {
            parts.add(key.substring(last, m.start()));
            last = m.end();
            if (m.group(1) != null) {
                parts.add(LIST_MARK + m.group(1));
            }
        }
        parts.add(key.substring(last));
        parts.removeIf(String::isEmpty);
        if (parts.isEmpty()) {
            throw SopsException.invalid(source + ": metadata key 'sops_" + key + "' names no field");
        }
        Map<String, Object> cur = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            Object next = cur.computeIfAbsent(parts.get(i), k -> new TreeMap<String, Object>());
            if (!(next instanceof Map)) {
                throw SopsException.invalid(source + ": conflicting sops metadata keys around sops_" + key);
            }
            cur = (Map<String, Object>) next;
        }
        cur.put(parts.get(parts.size() - 1), value);
    }

    private static Object listify(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return o;
        }
        boolean list = !m.isEmpty() && m.keySet().stream().allMatch(k -> LIST_KEY.matcher(String.valueOf(k)).matches());
        if (list) {
            TreeMap<Integer, Object> byIndex = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                byIndex.put(Integer.parseInt(String.valueOf(e.getKey()).substring(1)), listify(e.getValue()));
            }
            return new ArrayList<>(byIndex.values());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), listify(e.getValue()));
        }
        return out;
    }

    // ------------------------------------------------------------------ writing

    /** The metadata as sops 3.10 writes it in YAML and JSON. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> ages = new ArrayList<>();
        for (AgeEntry a : age) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("recipient", a.recipient());
            e.put("enc", a.enc());
            ages.add(e);
        }
        m.put("age", ages);
        m.put("lastmodified", lastModified);
        m.put("mac", mac);
        m.put(rule.kind().key, rule.value());
        if (macOnlyEncrypted) {
            m.put("mac_only_encrypted", true);
        }
        m.put("version", version);
        return m;
    }

    /** The metadata flattened for dotenv, keys sorted, without the sops_ prefix. */
    Map<String, String> toFlat() {
        TreeMap<String, String> out = new TreeMap<>();
        for (int i = 0; i < age.size(); i++) {
            out.put("age__list_" + i + "__map_enc", age.get(i).enc());
            out.put("age__list_" + i + "__map_recipient", age.get(i).recipient());
        }
        out.put("lastmodified", lastModified);
        out.put("mac", mac);
        out.put(rule.kind().key, rule.value());
        if (macOnlyEncrypted) {
            out.put("mac_only_encrypted", "true");
        }
        out.put("version", version);
        return out;
    }
}
