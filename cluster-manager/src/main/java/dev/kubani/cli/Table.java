package dev.kubani.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A plain table for people: upper-case headers, columns padded to fit, ANSI codes not counted. */
public final class Table {
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            r.add(c == null ? "-" : c.toString());
        }
        rows.add(r);
        return this;
    }

    public int size() {
        return rows.size();
    }

    static int width(String s) {
        String plain = s.indexOf('\u001b') < 0 ? s : ANSI.matcher(s).replaceAll("");
        return plain.codePointCount(0, plain.length());
    }

    public void print(PrintWriter out, Term term) {
        int n = headers.size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = headers.get(i).length();
        }
        // each cell's width once (ANSI codes not counted); then one reused buffer per line
        int[][] cellWidths = new int[rows.size()][];
        for (int j = 0; j < cellWidths.length; j++) {
            cellWidths[j] = widths(rows.get(j), w);
        }
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < n; i++) {
            String h = headers.get(i);
            sb.append(term.bold(h));
            if (i < n - 1) {
                pad(sb, w[i] - h.length() + 2);
            }
        }
        line(out, sb);
        for (int j = 0; j < cellWidths.length; j++) {
            printRow(out, sb, rows.get(j), cellWidths[j], w);
        }
    }

    // Per-row work lives in methods, not loop bodies: the JIT compiles a method after a few
    // hundred calls, a loop body only after tens of thousands of iterations.

    /** The row's cell widths; widens {@code w} to fit them. */
    private static int[] widths(List<String> r, int[] w) {
        int[] cw = new int[Math.min(w.length, r.size())];
        for (int i = 0; i < cw.length; i++) {
            cw[i] = width(r.get(i));
            if (cw[i] > w[i]) {
                w[i] = cw[i];
            }
        }
        return cw;
    }

    private static void printRow(PrintWriter out, StringBuilder sb, List<String> r, int[] cw, int[] w) {
        int n = w.length;
        sb.setLength(0);
        for (int i = 0; i < n; i++) {
            if (i < cw.length) {
                sb.append(r.get(i));
            }
            if (i < n - 1) {
                pad(sb, w[i] - (i < cw.length ? cw[i] : 0) + 2);
            }
        }
        line(out, sb);
    }

    private static void pad(StringBuilder sb, int spaces) {
        for (int k = 0; k < spaces; k++) {
            sb.append(' ');
        }
    }

    /** Prints the line without trailing white space (as String.stripTrailing). */
    private static void line(PrintWriter out, StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && Character.isWhitespace(sb.charAt(end - 1))) {
            end--;
        }
        sb.setLength(end);
        out.println(sb);
    }
}
