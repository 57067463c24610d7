package dev.kubani.tui.render;

import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.ServiceRow;
import java.util.List;
import java.util.Map;

/**
 * Services panel (Property 23): namespace, name, type, pods ready/desired (from the selector's
 * pods) and a health status. The counts come from {@link #counts}, computed once per snapshot.
 */
public final class ServiceRender implements Renderer<ServiceRow> {
    private static final List<Column> COLUMNS = List.of(Column.fixed("NAMESPACE", 14), Column.flex("NAME", 12),
            Column.fixed("TYPE", 13), Column.fixed("PODS", 7), Column.flex("STATUS", 9));

    private ClusterSnapshot countsOf;
    private Map<String, int[]> counts = Map.of();

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public String name(ServiceRow s) {
        return s.name();
    }

    /** Ready and desired pods of {@code s}; cached per snapshot. */
    public synchronized int[] counts(ServiceRow s, ClusterSnapshot snap) {
        if (countsOf != snap) {
            counts = snap.serviceCounts();
            countsOf = snap;
        }
        return counts.getOrDefault(s.key(), new int[] {0, 0});
    }

    @Override
    public List<Cell> row(ServiceRow s, ClusterSnapshot snap, long nowMs) {
        int[] c = counts(s, snap);
        String pods;
        Cell status;
        if (s.selector().isEmpty()) {
            pods = "-";
            status = Cell.of("no selector", Tone.DIM);
        } else {
            pods = c[0] + "/" + c[1];
            status = c[1] == 0 ? Cell.of("No pods", Tone.WARN)
                    : c[0] == c[1] ? Cell.of("Healthy", Tone.OK)
                    : c[0] == 0 ? Cell.of("Down", Tone.BAD)
                    : Cell.of("Degraded", Tone.WARN);
        }
        if ("LoadBalancer".equals(s.type()) && s.loadBalancerIp() == null && status.tone() == Tone.OK) {
            status = Cell.of("Healthy, LB pending", Tone.WARN);
        }
        return List.of(Cell.of(s.namespace()), Cell.of(s.name()), Cell.of(s.type()), Cell.of(pods, status.tone()), status);
    }
}
