package dev.kubani.sops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded random documents for SOPS round trips: nested maps, lists, ints, floats, bools, multi-line strings. */
final class Trees {
    private static final String[] KEYS = {"data", "stringData", "password", "user", "list", "nested", "port",
        "ratio", "enabled", "note_unencrypted", "x-y", "a b", "0", "true", "ключ", "key.with.dots"};
    private static final String[] STRINGS = {"", "value", "multi\nline\n", "no newline\nat end", "trailing\n\n",
        "  leading spaces", "quote\"s and \\ backslash", "yes", "no", "null", "~", "123", "1.5", "0x1F",
        "2024-01-01", "#not a comment", "key: value", "- dash", "ünïcödé ✓", "tab\there", "ENC-like [x]", "*star",
        "&amp", "!bang", "%pct", "@at", "`tick`", "{brace}", "[bracket]", "colon:", "a #b", ">gt", "|pipe"};

    private Trees() {
    }

    static Map<String, Object> doc(Random rnd, boolean flat) {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = 1 + rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            String k = KEYS[rnd.nextInt(KEYS.length)] + (rnd.nextInt(3) == 0 ? "_" + i : "");
            m.put(k, flat ? flatValue(rnd) : value(rnd, 0));
        }
        return m;
    }

    static Object flatValue(Random rnd) {
        String s = STRINGS[rnd.nextInt(STRINGS.length)];
        return s.contains("\\") ? s.replace("\\", "/") : s;
    }

    static Object value(Random rnd, int depth) {
        int r = rnd.nextInt(depth > 2 ? 6 : 9);
        switch (r) {
            case 0: return STRINGS[rnd.nextInt(STRINGS.length)];
            case 1: return (long) rnd.nextInt(100000) - 500;
            case 2: return rnd.nextBoolean() ? rnd.nextInt(1000) / 8.0 : rnd.nextDouble() * 1e6;
            case 3: return rnd.nextBoolean();
            case 4: return rnd.nextInt(4) == 0 ? null : randomString(rnd);
            case 5: return rnd.nextLong();
            case 6: case 7: {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    m.put(KEYS[rnd.nextInt(KEYS.length)] + i, value(rnd, depth + 1));
                }
                return m;
            }
            default: {
                List<Object> l = new ArrayList<>();
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    l.add(value(rnd, depth + 1));
                }
                return l;
            }
        }
    }

    static String randomString(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(30);
        String alphabet = "abcXYZ019 -_:#\n\"'\\/{}[]é✓";
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
