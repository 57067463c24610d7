package dev.kubani.tui.view;

import dev.kubani.tui.render.Cell;
import dev.tamboui.buffer.Buffer;
import dev.tamboui.layout.Rect;
import java.util.List;

/** A scrollable page of lines: node, service, pod or event details, and the help screen. */
public final class DetailView {
    private final String title;
    private volatile List<List<Cell>> lines;
    private int offset;
    private int page = 10;

    public DetailView(String title, List<List<Cell>> lines) {
        this.title = title;
        this.lines = lines;
    }

    public String title() {
        return title;
    }

    public void setLines(List<List<Cell>> l) {
        lines = l;
    }

    public List<List<Cell>> lines() {
        return lines;
    }

    public void scroll(int d) {
        offset = Math.max(0, Math.min(Math.max(0, lines.size() - page), offset + d));
    }

    public void page(int dir) {
        scroll(dir * Math.max(1, page - 1));
    }

    public void home() {
        offset = 0;
    }

    public void end() {
        offset = Math.max(0, lines.size() - page);
    }

    public void render(Buffer b, Rect area) {
        Rect in = Draw.box(b, area, title + "   (Esc back)", true);
        page = Math.max(1, in.height());
        List<List<Cell>> l = lines;
        for (int r = 0; r < in.height() && offset + r < l.size(); r++) {
            int x = in.x();
            for (Cell c : l.get(offset + r)) {
                x += Draw.text(b, x, in.y() + r, in.x() + in.width() - x, c.text(), Draw.style(c.tone()));
            }
        }
    }
}
