package dev.kubani.tui.render;

import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.EventRow;
import java.util.List;

/** Events panel: newest first, relative time, Warning events highlighted. */
public final class EventRender implements Renderer<EventRow> {
    private static final List<Column> COLUMNS = List.of(Column.fixed("AGE", 8), Column.fixed("TYPE", 8),
            Column.fixed("REASON", 16), Column.fixed("OBJECT", 30), Column.flex("MESSAGE", 20));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public String name(EventRow e) {
        return e.object();
    }

    @Override
    public List<Cell> row(EventRow e, ClusterSnapshot snap, long nowMs) {
        Tone t = e.warning() ? Tone.WARN : Tone.NORMAL;
        String obj = e.kind().isEmpty() ? e.object() : e.kind() + "/" + e.object();
        String msg = e.count() > 1 ? e.message() + " (x" + e.count() + ")" : e.message();
        return List.of(Cell.of(Ages.sinceMillis(e.last(), nowMs) + " ago", Tone.DIM), Cell.of(e.type(), t), Cell.of(e.reason(), t),
                Cell.of(obj), Cell.of(msg.replace('\n', ' '), t));
    }
}
