package dev.kubani.tui.render;

import dev.kubani.kube.ClusterSnapshot;
import java.util.List;

/**
 * A pure function from one resource (and the snapshot it lives in) to a row of cells. Views
 * call it for the rows on screen only.
 */
public interface Renderer<T> {
    List<Column> columns();

    List<Cell> row(T item, ClusterSnapshot snap, long nowMs);

    /** The name the '/' filter matches against. */
    String name(T item);
}
