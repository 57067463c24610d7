package dev.kubani.tui.view;

import dev.kubani.tui.render.Tone;
import dev.tamboui.buffer.Buffer;
import dev.tamboui.layout.Rect;
import dev.tamboui.style.Color;
import dev.tamboui.style.Style;
import dev.tamboui.widgets.block.Block;
import dev.tamboui.widgets.block.BorderType;
import dev.tamboui.widgets.block.Borders;

/** Small drawing helpers over TamboUI's buffer: clipped text, tone colours, titled boxes. */
public final class Draw {
    public static final Style PLAIN = Style.EMPTY;
    public static final Style HEADER = Style.EMPTY.bold();
    public static final Style SELECTED = Style.EMPTY.reversed();

    private Draw() {
    }

    public static Style style(Tone t) {
        return switch (t) {
            case OK -> Style.EMPTY.fg(Color.GREEN);
            case WARN -> Style.EMPTY.fg(Color.YELLOW);
            case BAD -> Style.EMPTY.fg(Color.RED).bold();
            case DIM -> Style.EMPTY.fg(Color.GRAY);
            case SAMPLE -> Style.EMPTY.fg(Color.MAGENTA).bold();
            default -> Style.EMPTY;
        };
    }

    /** Writes {@code s} at (x, y), cut to {@code width} columns (with '…' when cut). Returns the columns used. */
    public static int text(Buffer b, int x, int y, int width, String s, Style style) {
        if (width <= 0 || s == null) {
            return 0;
        }
        String t = s.length() > width ? (width > 1 ? s.substring(0, width - 1) + "…" : s.substring(0, width)) : s;
        b.setString(x, y, t, style);
        return t.length();
    }

    /** A bordered box with a title; returns the inner area. */
    public static Rect box(Buffer b, Rect area, String title, boolean focused) {
        Block block = Block.builder().title(" " + title + " ").borders(Borders.ALL)
                .borderType(focused ? BorderType.THICK : BorderType.ROUNDED)
                .borderColor(focused ? Color.CYAN : Color.GRAY).build();
        block.render(area, b);
        return block.inner(area);
    }
}
