package dev.kubani.inventory;

import dev.kubani.core.KubaniException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A YAML document that is edited as text. SnakeYAML composes the node tree with source marks;
 * edits splice new text into exactly the span they change, so every comment, blank line, key
 * order, quoting style and indentation a person wrote stays byte-for-byte as it was.
 */
public final class YamlDoc {
    private final Path file;
    private final String text;
    private final Node root;
    private final int[] lineStarts;
    private final String newline;

    private YamlDoc(Path file, String text, Node root) {
        this.file = file;
        this.text = text;
        this.root = root;
        this.lineStarts = computeLineStarts(text);
        this.newline = text.contains("\r\n") ? "\r\n" : "\n";
    }

    /** Parses YAML text; malformed input becomes one line with file, line, column and a hint. */
    public static YamlDoc parse(Path file, String text) {
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        lo.setMaxAliasesForCollections(50);
        lo.setNestingDepthLimit(100);
        lo.setCodePointLimit(64 * 1024 * 1024);
        Node root;
        try {
            // What Yaml.composeAll does, without building a Yaml object: its constructor and
            // representer are not needed to compose, and their TypeDescriptions start
            // java.util.logging (~20 ms of every start).
            Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), lo), new Resolver(), lo);
            List<Node> docs = new ArrayList<>();
            while (composer.checkNode()) {
                Node n = composer.getNode();
                if (n == null) {
                    throw new java.util.NoSuchElementException("No Node is available.");
                }
                docs.add(n);
                if (docs.size() > 1) {
                    throw KubaniException.invalidInput(where(file, n.getStartMark())
                            + ": more than one YAML document; an inventory file holds exactly one");
                }
            }
            root = docs.isEmpty() ? null : docs.get(0);
        } catch (MarkedYAMLException e) {
            throw KubaniException.invalidInput(describe(file, e));
        } catch (YAMLException | IllegalStateException | IllegalArgumentException | ClassCastException
                | IndexOutOfBoundsException e) {
            throw KubaniException.invalidInput(displayName(file) + ": not valid YAML (" + oneLine(e.getMessage()) + ")");
        }
        YamlDoc doc = new YamlDoc(file, text, root);
        if (root != null) {
            doc.checkDuplicateKeys(root, new IdentityHashMap<>());
        }
        return doc;
    }

    private static String describe(Path file, MarkedYAMLException e) {
        Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : oneLine(e.getMessage());
        StringBuilder sb = new StringBuilder();
        sb.append(where(file, m)).append(": ").append(oneLine(problem));
        if (e.getContext() != null && e.getContextMark() != null && m != e.getContextMark()) {
            sb.append(" (").append(oneLine(e.getContext())).append(" at line ")
                    .append(e.getContextMark().getLine() + 1).append(')');
        }
        String hint = hint(problem);
        if (hint != null) {
            sb.append("; ").append(hint);
        }
        return sb.toString();
    }

    private static String hint(String problem) {
        String p = problem.toLowerCase(java.util.Locale.ROOT);
        if (p.contains("'\\t'") || p.contains("tab")) {
            return "YAML does not allow tabs for indentation: use spaces";
        }
        if (p.contains("mapping values are not allowed")) {
            return "check the indentation, and quote values that contain ': '";
        }
        if (p.contains("could not find expected ':'")) {
            return "each key needs a ':' after it";
        }
        if (p.contains("expected <block end>")) {
            return "this line's indentation does not line up with its siblings";
        }
        if (p.contains("duplicate key")) {
            return "remove or rename one of the two";
        }
        if (p.contains("found undefined alias") || p.contains("alias")) {
            return "define the anchor (&name) before using *name";
        }
        if (p.contains("unexpected end of stream") || p.contains("found unexpected end")) {
            return "a quote or bracket is not closed";
        }
        if (p.contains("special characters are not allowed") || p.contains("unacceptable code point")) {
            return "remove the control character or save the file as UTF-8";
        }
        return "fix the YAML syntax there";
    }

    static String where(Path file, Mark m) {
        if (m == null) {
            return displayName(file);
        }
        return displayName(file) + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
    }

    static String displayName(Path file) {
        return file == null ? "<input>" : file.toString();
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unknown problem";
        }
        return s.replaceAll("\\s*\\n\\s*", " ").trim();
    }

    private void checkDuplicateKeys(Node n, IdentityHashMap<Node, Boolean> seen) {
        if (seen.put(n, Boolean.TRUE) != null) {
            return;
        }
        if (n instanceof MappingNode m) {
            Map<String, Node> keys = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode)) {
                    throw KubaniException.invalidInput(where(file, t.getKeyNode().getStartMark())
                            + ": a key must be a plain name, not a " + kind(t.getKeyNode())
                            + "; check the indentation and the '?' and ':' on this line");
                }
                if (t.getKeyNode() instanceof ScalarNode k) {
                    Node prev = keys.put(k.getValue(), k);
                    if (prev != null) {
                        throw KubaniException.invalidInput(where(file, k.getStartMark()) + ": duplicate key '"
                                + k.getValue() + "' (first at line " + (prev.getStartMark().getLine() + 1)
                                + "); remove or rename one of the two");
                    }
                }
                checkDuplicateKeys(t.getValueNode(), seen);
            }
        } else if (n instanceof SequenceNode s) {
            for (Node c : s.getValue()) {
                checkDuplicateKeys(c, seen);
            }
        }
    }

    // ---------------------------------------------------------------- reading

    public Path file() {
        return file;
    }

    public String text() {
        return text;
    }

    public Node root() {
        return root;
    }

    /** 1-based line of a node, for messages. */
    public static int line(Node n) {
        return n == null ? 0 : n.getStartMark().getLine() + 1;
    }

    public String where(Node n) {
        return n == null ? displayName(file) : displayName(file) + ":" + line(n);
    }

    /** The value node under a path of mapping keys, or null. */
    public Node get(String... path) {
        return get(root, List.of(path));
    }

    public static Node get(Node from, List<String> path) {
        Node cur = from;
        for (String k : path) {
            if (!(cur instanceof MappingNode m)) {
                return null;
            }
            NodeTuple t = entry(m, k);
            if (t == null) {
                return null;
            }
            cur = t.getValueNode();
        }
        return cur;
    }

    public static NodeTuple entry(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t;
            }
        }
        return null;
    }

    /** Converts a node to plain Java values (String, Long, BigInteger, Double, Boolean, null, Map, List). */
    public static Object toJava(Node n) {
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode s) {
            return scalarValue(s);
        }
        if (n instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node c : seq.getValue()) {
                out.add(toJava(c));
            }
            return out;
        }
        MappingNode m = (MappingNode) n;
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            Object k = toJava(t.getKeyNode());
            out.put(String.valueOf(k), toJava(t.getValueNode()));
        }
        return out;
    }

    public static Object scalarValue(ScalarNode s) {
        Tag tag = s.getTag();
        String v = s.getValue();
        try {
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            if (Tag.BOOL.equals(tag)) {
                String l = v.toLowerCase(java.util.Locale.ROOT);
                return l.equals("true") || l.equals("yes") || l.equals("on") || l.equals("y");
            }
            if (Tag.INT.equals(tag)) {
                String c = v.replace("_", "");
                if (c.startsWith("0x") || c.startsWith("-0x") || c.startsWith("+0x")
                        || c.matches("[-+]?0[0-7]+") || c.startsWith("0b") || c.contains(":")) {
                    return v; // exotic YAML 1.1 integer forms: keep the text
                }
                java.math.BigInteger b = new java.math.BigInteger(c.startsWith("+") ? c.substring(1) : c);
                return b.bitLength() < 63 ? (Object) b.longValue() : b;
            }
            if (Tag.FLOAT.equals(tag)) {
                return Double.valueOf(v.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    // ---------------------------------------------------------------- positions

    private static int[] computeLineStarts(String t) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        int[] a = new int[starts.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = starts.get(i);
        }
        return a;
    }

    /** Char offset of a mark (marks count code points within a line). */
    int offset(Mark m) {
        int line = m.getLine();
        if (line >= lineStarts.length) {
            return text.length();
        }
        int start = lineStarts[line];
        try {
            return Math.min(text.length(), text.offsetByCodePoints(start, m.getColumn()));
        } catch (IndexOutOfBoundsException e) {
            return text.length();
        }
    }

    /** Offset just before the line break that ends the line holding {@code pos}. */
    int lineEnd(int pos) {
        int nl = text.indexOf('\n', pos);
        if (nl < 0) {
            return text.length();
        }
        return nl > 0 && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
    }

    int lineStart(int pos) {
        int nl = text.lastIndexOf('\n', pos - 1);
        return nl + 1;
    }

    /** Offset where the content of a node really ends (not counting trailing breaks). */
    int contentEnd(Node n) {
        if (n instanceof ScalarNode s) {
            int end = offset(s.getEndMark());
            int start = offset(s.getStartMark());
            if (s.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                    || s.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED) {
                // block scalars end after their trailing line breaks: step back over them
                while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r'
                        || text.charAt(end - 1) == ' ')) {
                    end--;
                }
            }
            return end;
        }
        if (isFlow(n)) {
            return offset(n.getEndMark());
        }
        int max = offset(n.getStartMark());
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                max = Math.max(max, contentEnd(t.getKeyNode()));
                if (!isEmptyScalar(t.getValueNode())) {
                    max = Math.max(max, contentEnd(t.getValueNode()));
                }
            }
        } else if (n instanceof SequenceNode s) {
            for (Node c : s.getValue()) {
                max = Math.max(max, contentEnd(c));
            }
        }
        return max;
    }

    static boolean isFlow(Node n) {
        if (n instanceof MappingNode m) {
            return m.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
        }
        if (n instanceof SequenceNode s) {
            return s.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
        }
        return false;
    }

    boolean isEmptyScalar(Node n) {
        return n instanceof ScalarNode s && s.getValue().isEmpty()
                && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
    }

    int column(Node n) {
        return n.getStartMark().getColumn();
    }

    /** Indentation step used by the document (2 when it cannot tell). */
    int indentUnit() {
        if (root instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getValueNode() instanceof MappingNode c && !isFlow(c) && !c.getValue().isEmpty()) {
                    int d = column(c.getValue().get(0).getKeyNode()) - column(t.getKeyNode());
                    if (d > 0 && d <= 8) {
                        return d;
                    }
                }
            }
        }
        return 2;
    }

    /** Block-style YAML text of plain values, in the style edits write (no final line break). */
    public static String render(Object value) {
        return YamlRender.block(value, 0, 2, "\n");
    }

    // ---------------------------------------------------------------- editing

    /**
     * Sets {@code path} (mapping keys from the root) to {@code value}, creating missing
     * mappings on the way. Returns the new document text; this document is unchanged.
     */
    public String set(List<String> path, Object value) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        if (root == null || isEmptyScalar(root) || root instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
            String body = YamlRender.block(nest(path, 0, value), 0, indentUnit(), newline);
            String rest = text.isEmpty() || text.endsWith("\n") ? text : text + newline;
            return rest + body + newline;
        }
        if (!(root instanceof MappingNode)) {
            throw KubaniException.invalidInput(where(root) + ": the document is not a mapping of keys to values");
        }
        Node cur = root;
        for (int i = 0; i < path.size(); i++) {
            MappingNode m = (MappingNode) cur;
            NodeTuple t = entry(m, path.get(i));
            if (t == null) {
                return insertEntry(m, path.get(i), nest(path, i + 1, value));
            }
            if (i == path.size() - 1) {
                return replaceValue(t, value);
            }
            Node next = t.getValueNode();
            if (!(next instanceof MappingNode)) {
                if (next instanceof ScalarNode ns && (Tag.NULL.equals(ns.getTag()))) {
                    return replaceValue(t, nest(path, i + 1, value));
                }
                throw KubaniException.invalidInput(where(next) + ": '" + String.join(".", path.subList(0, i + 1))
                        + "' holds a " + kind(next) + ", not a mapping, so '" + String.join(".", path)
                        + "' cannot be set inside it");
            }
            cur = next;
        }
        throw new IllegalStateException("unreachable");
    }

    private static Object nest(List<String> path, int from, Object value) {
        Object v = value;
        for (int i = path.size() - 1; i >= from; i--) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(path.get(i), v);
            v = m;
        }
        return v;
    }

    static String kind(Node n) {
        if (n instanceof MappingNode) {
            return "mapping";
        }
        if (n instanceof SequenceNode) {
            return "list";
        }
        return "value";
    }

    /** Removes the entry {@code path} from its mapping. Returns the new text (unchanged if absent). */
    public String remove(List<String> path) {
        Node parent = get(root, path.subList(0, path.size() - 1));
        if (!(parent instanceof MappingNode m)) {
            return text;
        }
        NodeTuple t = entry(m, path.get(path.size() - 1));
        if (t == null) {
            return text;
        }
        if (isFlow(m)) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (NodeTuple e : m.getValue()) {
                if (e != t) {
                    copy.put(String.valueOf(toJava(e.getKeyNode())), toJava(e.getValueNode()));
                }
            }
            return splice(offset(m.getStartMark()), offset(m.getEndMark()), YamlRender.flow(copy));
        }
        int start = lineStart(offset(t.getKeyNode().getStartMark()));
        int end = entryEnd(t, column(t.getKeyNode()), false);
        // take the line break that ends the entry, so no empty line is left behind
        int cut = end;
        if (cut < text.length() && text.charAt(cut) == '\r') {
            cut++;
        }
        if (cut < text.length() && text.charAt(cut) == '\n') {
            cut++;
        } else if (start > 0) {
            // last line of the file without a newline: remove the preceding break instead
            start = start - 1;
            if (start > 0 && text.charAt(start - 1) == '\r') {
                start--;
            }
        }
        return text.substring(0, start) + text.substring(cut);
    }

    /**
     * End offset (before the line break) of an entry: its last content line, plus following
     * comment lines indented deeper than the key (they belong to the entry), and with
     * {@code siblingComments} also those at the key's own indentation (commented-out siblings:
     * a new entry goes after them).
     */
    private int entryEnd(NodeTuple t, int keyColumn, boolean siblingComments) {
        int end = lineEnd(Math.max(contentEnd(t.getKeyNode()), isEmptyScalar(t.getValueNode())
                ? contentEnd(t.getKeyNode()) : contentEnd(t.getValueNode())));
        while (end < text.length()) {
            int nextStart = text.indexOf('\n', end) + 1;
            if (nextStart <= 0 || nextStart >= text.length()) {
                break;
            }
            int nextEnd = lineEnd(nextStart);
            String line = text.substring(nextStart, nextEnd);
            String trimmed = line.strip();
            int indent = line.length() - line.stripLeading().length();
            if (trimmed.startsWith("#") && (indent > keyColumn || siblingComments && indent == keyColumn)) {
                end = nextEnd;
            } else {
                break;
            }
        }
        return end;
    }

    private String insertEntry(MappingNode m, String key, Object value) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key, value);
        if (isFlow(m)) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (NodeTuple e : m.getValue()) {
                copy.put(String.valueOf(toJava(e.getKeyNode())), toJava(e.getValueNode()));
            }
            copy.put(key, value);
            return splice(offset(m.getStartMark()), offset(m.getEndMark()), YamlRender.flow(copy));
        }
        List<NodeTuple> entries = m.getValue();
        NodeTuple last = entries.get(entries.size() - 1);
        int col = column(entries.get(0).getKeyNode());
        int at = entryEnd(last, col, true);
        String block = YamlRender.block(one, col, indentUnit(), newline);
        return splice(at, at, newline + block);
    }

    private String replaceValue(NodeTuple t, Object value) {
        Node key = t.getKeyNode();
        Node old = t.getValueNode();
        boolean newIsCollection = value instanceof Map || value instanceof List;
        int keyCol = column(key);
        int unit = indentUnit();

        if (isFlow(old)) {
            return splice(offset(old.getStartMark()), offset(old.getEndMark()),
                    newIsCollection ? YamlRender.flow(value) : YamlRender.scalar(value, null));
        }
        boolean oldInline = old instanceof ScalarNode s && !isEmptyScalar(old)
                && s.getScalarStyle() != DumperOptions.ScalarStyle.LITERAL
                && s.getScalarStyle() != DumperOptions.ScalarStyle.FOLDED;
        if (oldInline && !newIsCollection) {
            ScalarNode s = (ScalarNode) old;
            return splice(offset(s.getStartMark()), offset(s.getEndMark()), YamlRender.scalar(value, s.getScalarStyle()));
        }
        // General case: rewrite from the colon after the key to the end of the old value,
        // keeping a comment that sat on the key line.
        int keyEnd = offset(key.getEndMark());
        int colon = text.indexOf(':', keyEnd);
        int keyLineEnd = lineEnd(keyEnd);
        String keyLineRest = text.substring(colon + 1, keyLineEnd);
        String comment = "";
        int hash = commentStart(keyLineRest);
        if (hash >= 0) {
            comment = keyLineRest.substring(hash).strip();
        }
        int regionEnd = isEmptyScalar(old) ? keyLineEnd : Math.max(keyLineEnd, lineEnd(contentEnd(old)));
        StringBuilder sb = new StringBuilder();
        if (newIsCollection && !(value instanceof Map<?, ?> mm && mm.isEmpty())
                && !(value instanceof List<?> ll && ll.isEmpty())) {
            if (!comment.isEmpty()) {
                sb.append(' ').append(comment);
            }
            sb.append(newline).append(YamlRender.block(value, keyCol + unit, unit, newline));
        } else {
            sb.append(' ').append(newIsCollection ? YamlRender.flow(value) : YamlRender.scalar(value, null));
            if (!comment.isEmpty()) {
                sb.append("  ").append(comment);
            }
        }
        return splice(colon + 1, regionEnd, sb.toString());
    }

    /**
     * Replaces the text of one plain or quoted scalar (found through {@link #root()}) with
     * {@code value}, keeping its quoting style when the new value allows it. Returns the new
     * text; this document is unchanged. Added for `secrets` (edits inside sequences).
     */
    public String replaceScalar(ScalarNode node, Object value) {
        if (node.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                || node.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED || isEmptyScalar(node)) {
            throw KubaniException.invalidInput(where(node) + ": expected a one-line value here");
        }
        return splice(offset(node.getStartMark()), offset(node.getEndMark()), YamlRender.scalar(value, node.getScalarStyle()));
    }

    /**
     * Appends {@code item} to the block sequence under {@code path} (mapping keys from the root),
     * after its last item and in the same indentation; creates the key with a one-item list when
     * it is missing. Comments around the list stay. Returns the new text.
     */
    public String appendItem(List<String> path, Object item) {
        Node n = get(root, path);
        if (n == null || n instanceof ScalarNode s && (isEmptyScalar(s) || Tag.NULL.equals(s.getTag()))) {
            return set(path, new ArrayList<>(List.of(item)));
        }
        if (!(n instanceof SequenceNode seq)) {
            throw KubaniException.invalidInput(where(n) + ": '" + String.join(".", path) + "' holds a " + kind(n)
                    + ", not a list");
        }
        if (isFlow(seq) || seq.getValue().isEmpty()) {
            List<Object> items = new ArrayList<>();
            for (Node c : seq.getValue()) {
                items.add(toJava(c));
            }
            items.add(item);
            return set(path, items);
        }
        Node last = seq.getValue().get(seq.getValue().size() - 1);
        int itemStart = offset(last.getStartMark());
        int dash = text.lastIndexOf('-', itemStart);
        int dashCol = dash - lineStart(dash);
        int at = lineEnd(contentEnd(last));
        StringBuilder sb = new StringBuilder(newline);
        for (int i = 0; i < dashCol; i++) {
            sb.append(' ');
        }
        sb.append("- ").append(YamlRender.scalar(item, null));
        return splice(at, at, sb.toString());
    }

    /** Index of a YAML comment ('#' at the start or after whitespace, outside quotes), or -1. */
    static int commentStart(String s) {
        boolean sq = false;
        boolean dq = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' && !dq) {
                sq = !sq;
            } else if (c == '"' && !sq) {
                dq = !dq;
            } else if (c == '#' && !sq && !dq && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    private String splice(int from, int to, String with) {
        return text.substring(0, from) + with + text.substring(to);
    }
}
