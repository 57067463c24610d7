package dev.kubani.sops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dotenv files as sops reads them: one KEY=VALUE per line (split at the first '='), "\n" in a
 * value stands for a line break, lines starting with '#' are comments (not kept), blank lines
 * are skipped. All values are strings.
 */
final class DotenvCodec {
    private DotenvCodec() {
    }

    static Map<String, Object> parse(String text, String source) {
        Map<String, Object> out = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw SopsException.invalid(source + ":" + (i + 1) + ": not a KEY=VALUE line");
            }
            String key = line.substring(0, eq);
            if (out.containsKey(key)) {
                throw SopsException.invalid(source + ":" + (i + 1) + ": duplicate key '" + key + "'");
            }
            out.put(key, line.substring(eq + 1).replace("\\n", "\n"));
        }
        return out;
    }

    static String emit(Map<String, Object> doc) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map || v instanceof List) {
                throw SopsException.invalid("dotenv files hold only KEY=VALUE pairs: '" + e.getKey()
                        + "' holds a " + (v instanceof Map ? "mapping" : "list"));
            }
            if (e.getKey().contains("=") || e.getKey().contains("\n") || e.getKey().isEmpty()) {
                throw SopsException.invalid("dotenv key '" + e.getKey().replace("\n", "\\n")
                        + "' is empty or holds '=' or a line break");
            }
            String s = v == null ? "" : v instanceof Double d ? Values.formatFloat(d) : String.valueOf(v);
            sb.append(e.getKey()).append('=').append(s.replace("\n", "\\n")).append('\n');
        }
        return sb.toString();
    }
}
