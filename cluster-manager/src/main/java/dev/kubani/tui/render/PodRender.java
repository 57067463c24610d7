package dev.kubani.tui.render;

import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.PodRow;
import java.util.List;

/** Pods view: namespace, name, ready, status, restarts, node, age. */
public final class PodRender implements Renderer<PodRow> {
    private static final List<Column> COLUMNS = List.of(Column.fixed("NAMESPACE", 16), Column.flex("NAME", 20),
            Column.fixed("READY", 6), Column.fixed("STATUS", 18), Column.fixed("RESTARTS", 9), Column.fixed("NODE", 14),
            Column.fixed("AGE", 5));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public String name(PodRow p) {
        return p.name();
    }

    public static Tone tone(String status) {
        return switch (status) {
            case "Running", "Completed", "Succeeded" -> Tone.OK;
            case "Pending", "ContainerCreating", "Terminating", "PodInitializing" -> Tone.WARN;
            default -> status.startsWith("Init:") ? Tone.WARN : Tone.BAD;
        };
    }

    @Override
    public List<Cell> row(PodRow p, ClusterSnapshot snap, long nowMs) {
        Tone st = tone(p.status());
        if (st == Tone.OK && p.ready() < p.containers() && "Running".equals(p.status())) {
            st = Tone.WARN;
        }
        return List.of(Cell.of(p.namespace()), Cell.of(p.name()), Cell.of(p.readyText(), p.ready() == p.containers() ? Tone.NORMAL
                : Tone.WARN), Cell.of(p.status(), st), Cell.of(Integer.toString(p.restarts()), p.restarts() > 0 ? Tone.WARN
                : Tone.NORMAL), Cell.of(p.node() == null ? "-" : p.node()), Cell.of(Ages.sinceSeconds(p.created(), nowMs)));
    }
}
