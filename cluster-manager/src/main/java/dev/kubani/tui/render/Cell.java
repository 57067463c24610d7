package dev.kubani.tui.render;

/** One table cell: its text and its tone. */
public record Cell(String text, Tone tone) {
    public static Cell of(String text) {
        return new Cell(text == null ? "-" : text, Tone.NORMAL);
    }

    public static Cell of(String text, Tone tone) {
        return new Cell(text == null ? "-" : text, tone);
    }
}
