package dev.kubani.tui.view;

import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.tui.render.Cell;
import dev.kubani.tui.render.Column;
import dev.kubani.tui.render.Renderer;
import dev.tamboui.buffer.Buffer;
import dev.tamboui.layout.Rect;
import dev.tamboui.style.Style;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A scrolling, filterable, sortable table of one resource. It keeps the filtered and sorted
 * rows for the current snapshot and renders only the rows on screen, so 150,000 pods cost what
 * a screenful costs. Views never call the API: the rows come from the snapshot.
 */
public abstract class TableView<T> {
    /** A sort order the 's' key cycles through. */
    public record Sort<T>(String name, Comparator<T> order) {
    }

    /**
     * The rows of one snapshot, sorted for one sort order and filtered for one filter, with the
     * lower-case names the filter matches against. Built off the render thread ({@link #prepare})
     * and swapped in on it ({@link #adopt}), so a new snapshot costs the render thread nothing
     * while the filter and sort stay as they were.
     */
    public static final class Prepared<T> {
        final List<T> source;
        final int sort;
        final List<T> base;
        final String[] baseNames;
        final String filter;
        final List<T> rows;
        final String[] rowNames;

        Prepared(List<T> source, int sort, List<T> base, String[] baseNames, String filter, List<T> rows, String[] rowNames) {
            this.source = source;
            this.sort = sort;
            this.base = base;
            this.baseNames = baseNames;
            this.filter = filter;
            this.rows = rows;
            this.rowNames = rowNames;
        }
    }

    private final String title;
    private final Renderer<T> renderer;
    private final List<Sort<T>> sorts;
    /** Written on the render thread, read by {@link #prepare} on the model's thread. */
    private volatile int sortIndex;
    private volatile String filter = "";
    /** The source in the current sort order, and its lower-case names. */
    private List<T> source = List.of();
    private List<T> base = List.of();
    private String[] baseNames = new String[0];
    private int baseSort;
    /** The filtered rows, their lower-case names, and the (lower-case) filter they were made for. */
    private List<T> rows = List.of();
    private String[] rowNames = new String[0];
    private String rowsFilter = "";
    private int selected;
    private int offset;
    private int pageRows = 10;

    protected TableView(String title, Renderer<T> renderer, List<Sort<T>> sorts) {
        this.title = title;
        this.renderer = renderer;
        this.sorts = sorts;
    }

    /** The rows of this resource in the snapshot, in their natural order. */
    protected abstract List<T> items(ClusterSnapshot snap);

    public String title() {
        return title;
    }

    public Renderer<T> renderer() {
        return renderer;
    }

    /** Adopts a new snapshot; keeps the selection on the same item when it still exists. */
    public void update(ClusterSnapshot snap) {
        adopt(prepare(snap));
    }

    /**
     * Sorts and filters the snapshot's rows for the current sort and filter. Safe to call on any
     * thread (it reads only the snapshot and the volatile sort and filter); the result goes to
     * {@link #adopt} on the render thread.
     */
    public Prepared<T> prepare(ClusterSnapshot snap) {
        List<T> src = items(snap);
        int sort = sortIndex;
        String f = filter.toLowerCase(Locale.ROOT);
        List<T> b = sorted(src, sort);
        String[] names = names(b);
        List<T> r = b;
        String[] rn = names;
        if (!f.isEmpty()) {
            Filtered<T> x = filter(b, names, f);
            r = x.rows;
            rn = x.names;
        }
        return new Prepared<>(src, sort, b, names, f, r, rn);
    }

    /** Swaps in prepared rows (render thread); catches up if the sort or filter changed meanwhile. */
    public void adopt(Prepared<T> p) {
        if (p.source == source && p.sort == baseSort) {
            return;
        }
        T keep = selected();
        source = p.source;
        if (p.sort == sortIndex) {
            base = p.base;
            baseNames = p.baseNames;
            baseSort = p.sort;
            rows = p.rows;
            rowNames = p.rowNames;
            rowsFilter = p.filter;
        } else {
            base = sorted(source, sortIndex);
            baseNames = names(base);
            baseSort = sortIndex;
            rows = base;
            rowNames = baseNames;
            rowsFilter = "";
        }
        recompute();
        if (keep != null && !(selected < rows.size() && sameItem(rows.get(selected), keep))) {
            for (int i = 0; i < rows.size(); i++) {
                if (sameItem(rows.get(i), keep)) {
                    selected = i;
                    break;
                }
            }
        }
        clamp();
    }

    /** Identity of a row for keeping the selection; the name by default. */
    protected String key(T item) {
        return renderer.name(item);
    }

    /** Whether two rows are the same object of the cluster (possibly changed); compares {@link #key}s by default. */
    protected boolean sameItem(T a, T b) {
        return a == b || key(a).equals(key(b));
    }

    private List<T> sorted(List<T> src, int sort) {
        if (sort == 0) {
            return src;
        }
        List<T> b = new ArrayList<>(src);
        b.sort(sorts.get(sort).order());
        return b;
    }

    private String[] names(List<T> l) {
        String[] n = new String[l.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = renderer.name(l.get(i)).toLowerCase(Locale.ROOT);
        }
        return n;
    }

    private record Filtered<T>(List<T> rows, String[] names) {
    }

    /** The rows whose lower-case name contains {@code f} (String.indexOf: a vectorised intrinsic under C2). */
    private static <T> Filtered<T> filter(List<T> in, String[] names, String f) {
        int n = names.length;
        int[] hit = new int[Math.min(n, 1024)];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (names[i].contains(f)) {
                if (k == hit.length) {
                    hit = java.util.Arrays.copyOf(hit, Math.min(n, k * 2));
                }
                hit[k++] = i;
            }
        }
        if (k == n) {
            return new Filtered<>(in, names);
        }
        List<T> out = new ArrayList<>(k);
        String[] on = new String[k];
        for (int j = 0; j < k; j++) {
            out.add(in.get(hit[j]));
            on[j] = names[hit[j]];
        }
        return new Filtered<>(out, on);
    }

    /** Brings the rows in line with the current sort and filter; a longer filter only narrows the previous result. */
    private void recompute() {
        if (baseSort != sortIndex) {
            base = sorted(source, sortIndex);
            baseNames = names(base);
            baseSort = sortIndex;
            rows = base;
            rowNames = baseNames;
            rowsFilter = "";
        }
        String f = filter.toLowerCase(Locale.ROOT);
        if (f.equals(rowsFilter)) {
            return;
        }
        if (f.isEmpty()) {
            rows = base;
            rowNames = baseNames;
        } else {
            boolean narrowing = !rowsFilter.isEmpty() && f.startsWith(rowsFilter);
            Filtered<T> x = narrowing ? filter(rows, rowNames, f) : filter(base, baseNames, f);
            rows = x.rows;
            rowNames = x.names;
        }
        rowsFilter = f;
    }

    public String filter() {
        return filter;
    }

    public void setFilter(String f) {
        if (!f.equals(filter)) {
            filter = f;
            recompute();
            selected = 0;
            offset = 0;
        }
    }

    public String sortName() {
        return sorts.get(sortIndex).name();
    }

    public void cycleSort() {
        sortIndex = (sortIndex + 1) % sorts.size();
        recompute();
        selected = 0;
        offset = 0;
    }

    public List<T> rows() {
        return rows;
    }

    public int selectedIndex() {
        return selected;
    }

    public T selected() {
        return rows.isEmpty() || selected >= rows.size() ? null : rows.get(selected);
    }

    public void move(int delta) {
        selected += delta;
        clamp();
    }

    public void page(int dir) {
        move(dir * Math.max(1, pageRows - 1));
    }

    public void home() {
        selected = 0;
        clamp();
    }

    public void end() {
        selected = rows.size() - 1;
        clamp();
    }

    private void clamp() {
        if (selected >= rows.size()) {
            selected = rows.size() - 1;
        }
        if (selected < 0) {
            selected = 0;
        }
    }

    /** The rows that fit in the last drawn area (for metrics of visible nodes). */
    public List<T> visible() {
        int end = Math.min(rows.size(), offset + pageRows);
        return offset >= end ? List.of() : rows.subList(offset, end);
    }

    /** Draws the table in a titled box. */
    public void render(Buffer b, Rect area, boolean focused, ClusterSnapshot snap, long nowMs) {
        String t = title + " (" + rows.size() + (filter.isEmpty() ? "" : " matching '" + filter + "'")
                + (sortIndex > 0 ? ", by " + sortName() : "") + ")";
        Rect in = Draw.box(b, area, t, focused);
        if (in.height() < 2 || in.width() < 4) {
            return;
        }
        int[] widths = widths(renderer.columns(), in.width());
        int x = in.x();
        List<Column> cols = renderer.columns();
        for (int i = 0; i < cols.size(); i++) {
            if (widths[i] > 0) {
                Draw.text(b, x, in.y(), widths[i], cols.get(i).header(), Draw.HEADER);
                x += widths[i] + 1;
            }
        }
        pageRows = in.height() - 1;
        if (selected < offset) {
            offset = selected;
        }
        if (selected >= offset + pageRows) {
            offset = selected - pageRows + 1;
        }
        if (offset > Math.max(0, rows.size() - pageRows)) {
            offset = Math.max(0, rows.size() - pageRows);
        }
        if (rows.isEmpty()) {
            Draw.text(b, in.x(), in.y() + 1, in.width(), filter.isEmpty() ? "(none)" : "(nothing matches '" + filter + "')",
                    Draw.style(dev.kubani.tui.render.Tone.DIM));
            return;
        }
        for (int r = 0; r < pageRows && offset + r < rows.size(); r++) {
            int idx = offset + r;
            List<Cell> cells = renderer.row(rows.get(idx), snap, nowMs);
            int y = in.y() + 1 + r;
            boolean sel = focused && idx == selected;
            if (sel) {
                b.setStyle(new Rect(in.x(), y, in.width(), 1), Draw.SELECTED);
            }
            x = in.x();
            for (int i = 0; i < cells.size() && i < widths.length; i++) {
                if (widths[i] > 0) {
                    Style s = Draw.style(cells.get(i).tone());
                    Draw.text(b, x, y, widths[i], cells.get(i).text(), sel ? s.reversed() : s);
                    x += widths[i] + 1;
                }
            }
        }
    }

    /** Column widths for {@code total}: fixed ones as asked, flex ones share the rest; columns that do not fit get 0. */
    static int[] widths(List<Column> cols, int total) {
        int[] w = new int[cols.size()];
        int used = 0;
        int flex = 0;
        for (int i = 0; i < cols.size(); i++) {
            int need = cols.get(i).width() + (i > 0 ? 1 : 0);
            if (used + need > total) {
                int left = total - used - (i > 0 ? 1 : 0);
                if (left >= 3) {
                    w[i] = left;
                    used = total;
                }
                break;
            }
            w[i] = cols.get(i).width();
            used += need;
            if (cols.get(i).flex()) {
                flex++;
            }
        }
        int extra = total - used;
        if (extra > 0 && flex > 0) {
            for (int i = 0; i < cols.size(); i++) {
                if (cols.get(i).flex() && w[i] > 0) {
                    int add = extra / flex;
                    w[i] += add;
                    extra -= add;
                    flex--;
                }
            }
        }
        return w;
    }
}
