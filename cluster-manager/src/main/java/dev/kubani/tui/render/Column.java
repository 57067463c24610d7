package dev.kubani.tui.render;

/** A table column: header and preferred width; {@code flex} columns share what is left. */
public record Column(String header, int width, boolean flex) {
    public static Column fixed(String header, int width) {
        return new Column(header, width, false);
    }

    public static Column flex(String header, int min) {
        return new Column(header, min, true);
    }
}
