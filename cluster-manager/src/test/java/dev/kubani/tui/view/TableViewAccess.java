package dev.kubani.tui.view;

import dev.kubani.tui.render.Column;
import java.util.List;

/** Test access to the column layout. */
public final class TableViewAccess {
    private TableViewAccess() {
    }

    public static int[] widths(List<Column> cols, int total) {
        return TableView.widths(cols, total);
    }
}
