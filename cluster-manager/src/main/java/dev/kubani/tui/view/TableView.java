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

    private final String title;
    private final Renderer<T> renderer;
    private final List<Sort<T>> sorts;
    private int sortIndex;
    private String filter = "";
    private List<T> source = List.of();
    private List<T> rows = List.of();
    private String rowsFilter = "";
    private int rowsSort = -1;
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
        T keep = selected();
        List<T> src = items(snap);
        if (src != source) {
            source = src;
            rowsSort = -1;
            recompute();
            if (keep != null) {
                String name = key(keep);
                boolean same = selected < rows.size() && key(rows.get(selected)).equals(name);
                for (int i = 0; !same && i < rows.size(); i++) {
                    if (key(rows.get(i)).equals(name)) {
                        selected = i;
                        break;
                    }
                }
            }
            clamp();
        }
    }

    /** Identity of a row for keeping the selection; the name by default. */
    protected String key(T item) {
        return renderer.name(item);
    }

    private void recompute() {
        String f = filter.toLowerCase(Locale.ROOT);
        List<T> base;
        if (rowsSort == sortIndex && !rowsFilter.isEmpty() && f.startsWith(rowsFilter)) {
            base = rows; // narrowing: filter the previous result
        } else {
            base = source;
            if (sortIndex > 0) {
                base = new ArrayList<>(source);
                base.sort(sorts.get(sortIndex).order());
            }
        }
        if (f.isEmpty()) {
            rows = base;
        } else {
            List<T> out = new ArrayList<>();
            for (T t : base) {
                if (containsIgnoreCase(renderer.name(t), f)) {
                    out.add(t);
                }
            }
            rows = out;
        }
        rowsFilter = f;
        rowsSort = sortIndex;
    }

    /** Case-insensitive substring test without allocating (it runs over every row on each keystroke). */
    static boolean containsIgnoreCase(String hay, String needle) {
        int n = needle.length();
        for (int i = 0, last = hay.length() - n; i <= last; i++) {
            if (hay.regionMatches(true, i, needle, 0, n)) {
                return true;
            }
        }
        return false;
    }

    public String filter() {
        return filter;
    }

    public void setFilter(String f) {
        if (!f.equals(filter)) {
            String old = filter;
            filter = f;
            if (!f.toLowerCase(Locale.ROOT).startsWith(old.toLowerCase(Locale.ROOT))) {
                rowsSort = -1;
            }
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
        rowsSort = -1;
        rowsFilter = "";
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
