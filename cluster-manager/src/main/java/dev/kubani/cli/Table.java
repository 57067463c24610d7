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
        int[] w = new int[headers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < w.length && i < r.size(); i++) {
                w[i] = Math.max(w[i], width(r.get(i)));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String h = headers.get(i);
            sb.append(term.bold(h));
            if (i < w.length - 1) {
                sb.append(" ".repeat(w[i] - h.length() + 2));
            }
        }
        out.println(sb.toString().stripTrailing());
        for (List<String> r : rows) {
            sb.setLength(0);
            for (int i = 0; i < w.length; i++) {
                String c = i < r.size() ? r.get(i) : "";
                sb.append(c);
                if (i < w.length - 1) {
                    sb.append(" ".repeat(w[i] - width(c) + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
