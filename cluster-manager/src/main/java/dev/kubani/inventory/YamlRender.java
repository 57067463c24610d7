package dev.kubani.inventory;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Renders Java values as YAML text in the style people write inventories in: block mappings,
 * sequences indented under their key, plain scalars where YAML 1.1 (what Ansible reads) keeps
 * them strings, and double quotes otherwise ("true", "2", "4Gi" stays plain).
 */
final class YamlRender {
    private static final Resolver RESOLVER = new Resolver();
    private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z0-9_./+=~$()^-][A-Za-z0-9 _./+=@~$()^%:,-]*");

    private YamlRender() {
    }

    static String scalar(Object v, DumperOptions.ScalarStyle keepStyle) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean || v instanceof Number) {
            return String.valueOf(v);
        }
        String s = v.toString();
        if (keepStyle == DumperOptions.ScalarStyle.DOUBLE_QUOTED) {
            return doubleQuoted(s);
        }
        if (keepStyle == DumperOptions.ScalarStyle.SINGLE_QUOTED && s.indexOf('\n') < 0 && isPrintable(s)) {
            return "'" + s.replace("'", "''") + "'";
        }
        return plainSafe(s) ? s : doubleQuoted(s);
    }

    static String key(String k) {
        return plainSafe(k) ? k : doubleQuoted(k);
    }

    static boolean plainSafe(String s) {
        if (s.isEmpty() || !PLAIN_SAFE.matcher(s).matches()) {
            return false;
        }
        if (s.endsWith(" ") || s.endsWith(":") || s.contains(": ") || s.contains(" #") || s.startsWith("-")
                && (s.length() == 1 || s.charAt(1) == ' ')) {
            return false;
        }
        return Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, s, true));
    }

    private static boolean isPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    static String doubleQuoted(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Block-style text of a value whose first line starts at {@code indent} columns; no final break. */
    static String block(Object value, int indent, int unit, String nl) {
        StringBuilder sb = new StringBuilder();
        writeBlock(sb, value, indent, unit, nl);
        // drop the last line break
        int cut = sb.length();
        while (cut > 0 && (sb.charAt(cut - 1) == '\n' || sb.charAt(cut - 1) == '\r')) {
            cut--;
        }
        sb.setLength(cut);
        return sb.toString();
    }

    private static void writeBlock(StringBuilder sb, Object value, int indent, int unit, String nl) {
        String pad = " ".repeat(indent);
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(pad).append(key(String.valueOf(e.getKey()))).append(':');
                writeChild(sb, e.getValue(), indent, unit, nl);
            }
        } else if (value instanceof List<?> l) {
            for (Object item : l) {
                if (item instanceof Map<?, ?> im && !im.isEmpty()) {
                    // "- key: v" with the following keys aligned after the dash
                    StringBuilder inner = new StringBuilder();
                    writeBlock(inner, im, indent + 2, unit, nl);
                    sb.append(pad).append("- ").append(inner.substring(indent + 2));
                } else if (item instanceof List<?> il && !il.isEmpty()) {
                    sb.append(pad).append("-").append(nl);
                    writeBlock(sb, il, indent + unit, unit, nl);
                } else {
                    sb.append(pad).append("- ").append(inline(item)).append(nl);
                }
            }
        } else {
            sb.append(pad).append(inline(value)).append(nl);
        }
    }

    private static void writeChild(StringBuilder sb, Object v, int indent, int unit, String nl) {
        if (v instanceof Map<?, ?> cm && !cm.isEmpty()) {
            sb.append(nl);
            writeBlock(sb, cm, indent + unit, unit, nl);
        } else if (v instanceof List<?> cl && !cl.isEmpty()) {
            sb.append(nl);
            writeBlock(sb, cl, indent + unit, unit, nl);
        } else {
            sb.append(' ').append(inline(v)).append(nl);
        }
    }

    private static String inline(Object v) {
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return flow(v);
        }
        return scalar(v, null);
    }

    /** Flow-style text: {a: b, c: [1, 2]}. */
    static String flow(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(flowScalar(String.valueOf(e.getKey()))).append(": ").append(flow(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(flow(l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof String s) {
            return flowScalar(s);
        }
        return scalar(v, null);
    }

    private static String flowScalar(String s) {
        return plainSafe(s) && s.indexOf(',') < 0 && s.indexOf(':') < 0 ? s : doubleQuoted(s);
    }
}
