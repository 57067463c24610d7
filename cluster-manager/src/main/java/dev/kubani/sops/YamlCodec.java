package dev.kubani.sops;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML documents to and from plain trees (LinkedHashMap, ArrayList, String, Long, BigInteger,
 * Double, Boolean, null), keeping key order. Plain scalars are typed by the YAML 1.2 core schema,
 * as Go's yaml.v3 (which sops uses) does: {@code yes}, {@code on} and dates stay strings.
 * Comments are not kept.
 */
final class YamlCodec {
    private static final Pattern NULL = Pattern.compile("^(~|null|Null|NULL|)$");
    private static final Pattern BOOL = Pattern.compile("^(true|True|TRUE|false|False|FALSE)$");
    private static final Pattern INT_DEC = Pattern.compile("^[-+]?[0-9]+$");
    private static final Pattern INT_OCT = Pattern.compile("^0o[0-7]+$");
    private static final Pattern INT_HEX = Pattern.compile("^0x[0-9a-fA-F]+$");
    private static final Pattern FLOAT = Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    private static final Pattern INF = Pattern.compile("^[-+]?\\.(inf|Inf|INF)$");
    private static final Pattern NAN = Pattern.compile("^\\.(nan|NaN|NAN)$");
    private static final Resolver RESOLVER_11 = new Resolver();

    private YamlCodec() {
    }

    /** Every document of {@code text}; each must be a mapping. */
    static List<Map<String, Object>> parse(String text, String source) {
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        lo.setMaxAliasesForCollections(50);
        lo.setNestingDepthLimit(100);
        lo.setCodePointLimit(16 * 1024 * 1024);
        Yaml yaml = new Yaml(new SafeConstructor(lo), new org.yaml.snakeyaml.representer.Representer(new DumperOptions()),
                new DumperOptions(), lo);
        List<Map<String, Object>> docs = new ArrayList<>();
        try {
            for (Node n : yaml.composeAll(new StringReader(text))) {
                if (n == null) {
                    continue;
                }
                Object v = convert(n, source, 0);
                if (v == null) {
                    continue;
                }
                if (!(v instanceof Map)) {
                    throw SopsException.invalid(where(source, n.getStartMark())
                            + ": a SOPS YAML document must be a mapping of keys to values");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) v;
                docs.add(m);
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw SopsException.invalid(where(source, m) + ": not valid YAML ("
                    + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage()) + ")");
        } catch (YAMLException | IllegalArgumentException | IllegalStateException | ClassCastException
                | IndexOutOfBoundsException | StackOverflowError e) {
            throw SopsException.invalid(source + ": not valid YAML (" + oneLine(e.getMessage()) + ")");
        }
        return docs;
    }

    private static String where(String source, Mark m) {
        return m == null ? source : source + ":" + (m.getLine() + 1);
    }

    private static String oneLine(String s) {
        return s == null ? "unknown problem" : s.replaceAll("\\s*\\n\\s*", " ").trim();
    }

    private static Object convert(Node n, String source, int depth) {
        if (n instanceof ScalarNode s) {
            return scalar(s);
        }
        if (n instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node c : seq.getValue()) {
                out.add(convert(c, source, depth + 1));
            }
            return out;
        }
        MappingNode m = (MappingNode) n;
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks)) {
                throw SopsException.invalid(where(source, k.getStartMark()) + ": keys must be plain values, not lists or mappings");
            }
            String key = ks.getValue();
            if (out.containsKey(key)) {
                throw SopsException.invalid(where(source, k.getStartMark()) + ": duplicate key '" + key + "'");
            }
            out.put(key, convert(t.getValueNode(), source, depth + 1));
        }
        return out;
    }

    static Object scalar(ScalarNode s) {
        String v = s.getValue();
        Tag tag = s.getTag();
        boolean implicit = s.isPlain() && tag.equals(RESOLVER_11.resolve(NodeId.scalar, v, true));
        if (implicit) {
            return resolvePlain(v);
        }
        if (!s.isPlain() && Tag.STR.equals(tag)) {
            return v;
        }
        // explicit tags (!!int "5", !!str 5, ...)
        if (Tag.STR.equals(tag)) {
            return v;
        }
        Object r = resolvePlain(v);
        if (Tag.INT.equals(tag) && (r instanceof Long || r instanceof BigInteger)
                || Tag.FLOAT.equals(tag) && (r instanceof Double || r instanceof Long)
                || Tag.BOOL.equals(tag) && r instanceof Boolean
                || Tag.NULL.equals(tag) && r == null) {
            return Tag.FLOAT.equals(tag) && r instanceof Long l ? (Object) l.doubleValue() : r;
        }
        return v;
    }

    /** YAML 1.2 core schema resolution of a plain scalar. */
    static Object resolvePlain(String v) {
        if (NULL.matcher(v).matches()) {
            return null;
        }
        if (BOOL.matcher(v).matches()) {
            return Boolean.valueOf(v.equalsIgnoreCase("true"));
        }
        try {
            if (INT_DEC.matcher(v).matches()) {
                BigInteger b = new BigInteger(v.startsWith("+") ? v.substring(1) : v);
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            if (INT_OCT.matcher(v).matches()) {
                BigInteger b = new BigInteger(v.substring(2), 8);
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            if (INT_HEX.matcher(v).matches()) {
                BigInteger b = new BigInteger(v.substring(2), 16);
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            if (FLOAT.matcher(v).matches()) {
                return Double.valueOf(v);
            }
        } catch (NumberFormatException e) {
            return v;
        }
        if (INF.matcher(v).matches()) {
            return v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (NAN.matcher(v).matches()) {
            return Double.NaN;
        }
        return v;
    }

    // ------------------------------------------------------------------ emitting

    static String emit(List<Map<String, Object>> docs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                sb.append("---\n");
            }
            Map<String, Object> d = docs.get(i);
            if (d.isEmpty()) {
                sb.append("{}\n");
            } else {
                writeMap(sb, d, 0);
            }
        }
        return sb.toString();
    }

    private static void indent(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }

    private static void writeMap(StringBuilder sb, Map<?, ?> m, int ind) {
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                indent(sb, ind);
            }
            first = false;
            sb.append(key(String.valueOf(e.getKey()))).append(':');
            writeValue(sb, e.getValue(), ind, true);
        }
    }

    /** Writes a value after "key:" or "- " (the caller wrote that), ending with a newline. */
    private static void writeValue(StringBuilder sb, Object v, int ind, boolean afterKey) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            sb.append('\n');
            indent(sb, ind + 2);
            writeMap(sb, m, ind + 2);
        } else if (v instanceof List<?> l && !l.isEmpty()) {
            sb.append('\n');
            for (Object item : l) {
                indent(sb, ind + 2);
                sb.append('-');
                writeListItem(sb, item, ind + 4);
            }
        } else if (v instanceof String s && isBlockCandidate(s)) {
            sb.append(' ').append(block(s, ind + 2));
        } else {
            sb.append(' ').append(scalar(v)).append('\n');
        }
    }

    private static void writeListItem(StringBuilder sb, Object item, int ind) {
        if (item instanceof Map<?, ?> m && !m.isEmpty()) {
            sb.append(' ');
            writeMap(sb, m, ind);
        } else if (item instanceof List<?> l && !l.isEmpty()) {
            sb.append('\n');
            for (Object c : l) {
                indent(sb, ind);
                sb.append('-');
                writeListItem(sb, c, ind + 2);
            }
        } else if (item instanceof String s && isBlockCandidate(s)) {
            sb.append(' ').append(block(s, ind));
        } else {
            sb.append(' ').append(scalar(item)).append('\n');
        }
    }

    private static boolean isBlockCandidate(String s) {
        if (!s.contains("\n") || s.startsWith(" ") || s.startsWith("\n") || s.startsWith("\t")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c == '\uFEFF') {
                return false;
            }
        }
        return true;
    }

    /** A literal block scalar holding {@code s} exactly (chomping indicator chosen from its end). */
    private static String block(String s, int ind) {
        String chomp;
        String body;
        if (!s.endsWith("\n")) {
            chomp = "-";
            body = s;
        } else if (s.endsWith("\n\n")) {
            chomp = "+";
            body = s.substring(0, s.length() - 1);
        } else {
            chomp = "";
            body = s.substring(0, s.length() - 1);
        }
        StringBuilder sb = new StringBuilder("|").append(chomp).append('\n');
        for (String line : body.split("\n", -1)) {
            if (!line.isEmpty()) {
                indent(sb, ind);
                sb.append(line);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String key(String k) {
        return plainSafe(k) && !k.contains("?") ? k : doubleQuoted(k);
    }

    static String scalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return ".nan";
            }
            if (d.isInfinite()) {
                return d > 0 ? ".inf" : "-.inf";
            }
            String s = Values.formatFloat(d);
            return s.contains(".") || s.contains("e") ? s : s + ".0";
        }
        if (v instanceof Map || v instanceof List) {
            return v instanceof Map ? "{}" : "[]";
        }
        String s = v.toString();
        return plainSafe(s) ? s : doubleQuoted(s);
    }

    /** True when {@code s} can be written plain and reads back as the same string in YAML 1.1 and 1.2. */
    static boolean plainSafe(String s) {
        if (s.isEmpty() || s.strip().length() != s.length()) {
            return false;
        }
        char c0 = s.charAt(0);
        if ("-?:,[]{}#&*!|>'\"%@`".indexOf(c0) >= 0 && !(c0 == '-' && s.length() > 1 && s.charAt(1) != ' '
                && !INT_DEC.matcher(s).matches() && !FLOAT.matcher(s).matches())) {
            return false;
        }
        if (s.contains(": ") || s.contains(" #") || s.endsWith(":")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || c == '\uFEFF') {
                return false;
            }
        }
        if (!(resolvePlain(s) instanceof String)) {
            return false;
        }
        if (!Tag.STR.equals(RESOLVER_11.resolve(NodeId.scalar, s, true))) {
            return false;
        }
        return !s.equals("---") && !s.equals("...") && !s.equals("<<");
    }

    static String doubleQuoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || c == '\uFEFF'
                            || Character.isSurrogate(c) && !validSurrogateAt(s, i)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
