package dev.kubani.tui.render;

import dev.kubani.inventory.Rules;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.NodeMetric;
import dev.kubani.kube.NodeRow;
import dev.kubani.kube.Quantities;
import java.net.InetAddress;
import java.util.List;

/** Nodes panel (Property 22): name, role, status, CPU %, memory used/allocatable, Tailscale IP, GPUs, labels. */
public final class NodeRender implements Renderer<NodeRow> {
    private static final List<Column> COLUMNS = List.of(Column.flex("NAME", 10), Column.fixed("ROLE", 13),
            Column.fixed("STATUS", 17), Column.fixed("CPU", 5), Column.fixed("MEMORY", 13), Column.fixed("TAILSCALE IP", 16),
            Column.fixed("GPU", 4), Column.flex("LABELS", 12));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public String name(NodeRow n) {
        return n.name();
    }

    @Override
    public List<Cell> row(NodeRow n, ClusterSnapshot snap, long nowMs) {
        Tone st = switch (n.status()) {
            case "Ready" -> n.unschedulable() ? Tone.WARN : Tone.OK;
            case "NotReady" -> Tone.BAD;
            default -> Tone.WARN;
        };
        NodeMetric m = "Unknown".equals(n.status()) ? null : snap.metrics().get(n.name());
        String cpu = m == null || n.cpuMilli() <= 0 ? "N/A" : Math.round(100.0 * m.cpuMilli() / n.cpuMilli()) + "%";
        String mem = m == null || n.memBytes() <= 0 ? "N/A"
                : Quantities.memory(m.memBytes()) + "/" + Quantities.memory(n.memBytes());
        String ip = n.internalIp() == null ? "-" : n.internalIp();
        InetAddress a = n.internalIp() == null ? null : Rules.ip(n.internalIp());
        Tone ipTone = a != null && Rules.inTailnet(a) ? Tone.NORMAL : Tone.WARN;
        StringBuilder labels = new StringBuilder();
        if (n.workstation()) {
            labels.append("workstation");
        }
        if (n.gpuLabel()) {
            labels.append(labels.isEmpty() ? "" : ",").append("gpu");
        }
        return List.of(Cell.of(n.name()), Cell.of(n.role()), Cell.of(n.unschedulable() ? n.status() + " (cordoned)" : n.status(), st), Cell.of(cpu, m == null ? Tone.DIM : usage(cpu)),
                Cell.of(mem, m == null ? Tone.DIM : Tone.NORMAL), Cell.of(ip, ipTone),
                Cell.of(n.gpus() > 0 ? Integer.toString(n.gpus()) : "-"), Cell.of(labels.isEmpty() ? "-" : labels.toString()));
    }

    private static Tone usage(String pct) {
        int p = Integer.parseInt(pct.substring(0, pct.length() - 1));
        return p >= 90 ? Tone.BAD : p >= 75 ? Tone.WARN : Tone.NORMAL;
    }
}
