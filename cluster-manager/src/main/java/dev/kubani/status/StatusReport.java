package dev.kubani.status;

import dev.kubani.inventory.Node;
import dev.kubani.inventory.Rules;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.FluxRow;
import dev.kubani.kube.NodeMetric;
import dev.kubani.kube.NodeRow;
import dev.kubani.kube.PodRow;
import dev.kubani.kube.Quantities;
import dev.kubani.util.Times;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code cluster-mgr status} reports, computed from a snapshot and the inventory: one line
 * per node, drift both ways, Flux, and pods. Pure: the command only prints it.
 */
public final class StatusReport {

    /** A node line. {@code ipProblem} explains a flagged Tailscale IP (null when fine). */
    public record NodeLine(String name, String role, String status, String cpu, String memory, String ip,
                           String ipProblem, String kubelet, String age, String heartbeat, Integer cpuPercent,
                           Integer memPercent, long memUsed, long memAllocatable) {
    }

    /** Nodes listed in only one of the inventory and the cluster. */
    public record Drift(List<String> notInCluster, List<String> notInInventory) {
        public boolean none() {
            return notInCluster.isEmpty() && notInInventory.isEmpty();
        }
    }

    private final ClusterSnapshot snap;
    private final List<Node> inventory;
    private final long nowSec;

    /** {@code inventory} null when there is none to compare with (drift is then not checked). */
    public StatusReport(ClusterSnapshot snap, List<Node> inventory, Instant now) {
        this.snap = snap;
        this.inventory = inventory;
        this.nowSec = now.getEpochSecond();
    }

    public ClusterSnapshot snapshot() {
        return snap;
    }

    public boolean hasInventory() {
        return inventory != null;
    }

    public List<NodeLine> nodes() {
        Map<String, Node> inv = new LinkedHashMap<>();
        if (inventory != null) {
            for (Node n : inventory) {
                inv.put(n.hostname().toLowerCase(Locale.ROOT), n);
            }
        }
        List<NodeLine> out = new ArrayList<>();
        for (NodeRow n : snap.nodes()) {
            NodeMetric m = snap.metrics().get(n.name());
            String cpu = "N/A";
            String mem = "N/A";
            Integer cpuPct = null;
            Integer memPct = null;
            long used = -1;
            if (m != null && !"Unknown".equals(n.status())) {
                cpuPct = n.cpuMilli() > 0 ? (int) Math.round(100.0 * m.cpuMilli() / n.cpuMilli()) : null;
                memPct = n.memBytes() > 0 ? (int) Math.round(100.0 * m.memBytes() / n.memBytes()) : null;
                cpu = cpuPct == null ? "N/A" : cpuPct + "%";
                used = m.memBytes();
                mem = Quantities.memory(m.memBytes()) + "/" + Quantities.memory(n.memBytes());
            }
            out.add(new NodeLine(n.name(), n.role(), n.statusText(), cpu, mem, n.internalIp() == null ? "-" : n.internalIp(),
                    ipProblem(n, inv.get(n.name().toLowerCase(Locale.ROOT))), n.kubeletVersion() == null ? "-" : n.kubeletVersion(),
                    n.created() == 0 ? "-" : Times.compact(Duration.ofSeconds(nowSec - n.created())),
                    n.heartbeat() == 0 ? "-" : Times.compact(Duration.ofSeconds(nowSec - n.heartbeat())) + " ago",
                    cpuPct, memPct, used, n.memBytes()));
        }
        return out;
    }

    /** Why the node's InternalIP is flagged: outside the tailnet ranges, or not the inventory's Tailscale IP. */
    static String ipProblem(NodeRow n, Node inv) {
        if (n.internalIp() == null) {
            return "no InternalIP reported";
        }
        InetAddress a = Rules.ip(n.internalIp());
        if (a == null) {
            return "not an IP address";
        }
        if (!Rules.inTailnet(a)) {
            return "outside the tailnet ranges: K3s is not using the Tailscale interface (set node-ip to the Tailscale IP)";
        }
        if (inv != null && inv.tailscaleIp() != null) {
            InetAddress b = Rules.ip(inv.tailscaleIp());
            if (b != null && !b.equals(a)) {
                return "inventory has " + inv.tailscaleIp();
            }
        }
        return null;
    }

    public Drift drift() {
        if (inventory == null) {
            return new Drift(List.of(), List.of());
        }
        Set<String> cluster = new TreeSet<>();
        for (NodeRow n : snap.nodes()) {
            cluster.add(n.name().toLowerCase(Locale.ROOT));
        }
        Set<String> inv = new TreeSet<>();
        for (Node n : inventory) {
            inv.add(n.hostname().toLowerCase(Locale.ROOT));
        }
        List<String> notInCluster = new ArrayList<>();
        for (Node n : inventory) {
            if (!cluster.contains(n.hostname().toLowerCase(Locale.ROOT))) {
                notInCluster.add(n.hostname());
            }
        }
        List<String> notInInventory = new ArrayList<>();
        for (NodeRow n : snap.nodes()) {
            if (!inv.contains(n.name().toLowerCase(Locale.ROOT))) {
                notInInventory.add(n.name());
            }
        }
        return new Drift(notInCluster, notInInventory);
    }

    /** The report's "now", epoch seconds (ages are relative to it). */
    public long nowSeconds() {
        return nowSec;
    }

    public String podAge(PodRow p) {
        return p.created() == 0 ? "-" : Times.compact(Duration.ofSeconds(nowSec - p.created()));
    }

    /** Plain data for --output json|yaml. */
    public Map<String, Object> toData(boolean withPods) {
        Map<String, Object> m = new LinkedHashMap<>();
        ClusterSnapshot.Meta meta = snap.meta();
        m.put("cluster", meta.cluster());
        m.put("server", meta.server());
        m.put("context", meta.context());
        m.put("version", meta.version());
        if (meta.sample()) {
            m.put("sampleData", true);
        }
        m.put("metricsAvailable", snap.metricsAvailable());
        List<Object> nodes = new ArrayList<>();
        for (NodeLine l : nodes()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", l.name());
            n.put("role", l.role());
            n.put("status", l.status());
            n.put("cpuPercent", l.cpuPercent());
            n.put("memoryUsedBytes", l.memUsed() < 0 ? null : l.memUsed());
            n.put("memoryAllocatableBytes", l.memAllocatable());
            n.put("tailscaleIp", l.ip());
            n.put("ipProblem", l.ipProblem());
            n.put("kubeletVersion", l.kubelet());
            n.put("age", l.age());
            n.put("lastHeartbeat", l.heartbeat());
            nodes.add(n);
        }
        m.put("nodes", nodes);
        if (inventory != null) {
            Drift d = drift();
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("notInCluster", d.notInCluster());
            dm.put("notInInventory", d.notInInventory());
            m.put("drift", dm);
        }
        Map<String, Object> flux = new LinkedHashMap<>();
        flux.put("installed", snap.flux().installed());
        List<Object> fl = new ArrayList<>();
        for (FluxRow f : snap.flux().rows()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("kind", f.kind());
            fm.put("namespace", f.namespace());
            fm.put("name", f.name());
            fm.put("ready", f.ready());
            fm.put("revision", f.revision());
            fm.put("message", f.message());
            fl.add(fm);
        }
        flux.put("objects", fl);
        m.put("flux", flux);
        if (withPods) {
            List<Object> pods = new ArrayList<>(snap.pods().size());
            for (PodRow p : snap.pods()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("namespace", p.namespace());
                pm.put("name", p.name());
                pm.put("ready", p.readyText());
                pm.put("status", p.status());
                pm.put("restarts", p.restarts());
                pm.put("node", p.node());
                pm.put("age", podAge(p));
                pods.add(pm);
            }
            m.put("pods", pods);
        }
        return m;
    }
}
