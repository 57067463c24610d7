package dev.kubani.kube;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The built-in SAMPLE cluster for {@code cluster-mgr demo}, {@code status --demo} and
 * {@code cluster-tui --demo}: the example inventory's machines (nuc, desktop, dgx-spark) plus
 * an old NAS the inventory no longer lists, with a few apps, Flux, events and metrics. Always
 * labelled as sample data. {@link #tick} moves usage a little so the dashboard looks alive.
 */
public final class SampleCluster {
    public static final String NAME = "homelab (SAMPLE DATA)";
    public static final String SERVER = "https://100.64.0.1:6443 (sample)";

    private final long start;
    private final Random rnd = new Random(42);
    private final List<NodeRow> nodes = new ArrayList<>();
    private final List<PodRow> pods = new ArrayList<>();
    private final List<ServiceRow> services = new ArrayList<>();
    private final List<EventRow> events = new ArrayList<>();
    private final Map<String, NodeMetric> metrics = new HashMap<>();
    private long version;

    public SampleCluster(long nowMs) {
        this.start = nowMs / 1000;
        long d = 86400;
        nodes.add(new NodeRow("desktop", "worker", "Ready", false, "100.64.0.2", "v1.31.4+k3s1", start - 30 * d, start - 8,
                16000, 33_285_996_544L, 0, true, false, "100.64.0.2", List.of()));
        nodes.add(new NodeRow("dgx-spark", "worker", "Ready", false, "100.64.0.3", "v1.31.4+k3s1", start - 12 * d, start - 5,
                20000, 128_849_018_880L, 1, true, true, "100.64.0.3", List.of("nvidia.com/gpu=true:NoSchedule")));
        nodes.add(new NodeRow("nuc", "control-plane", "Ready", false, "100.64.0.1", "v1.31.4+k3s1", start - 45 * d, start - 3,
                8000, 16_542_932_992L, 0, false, false, "100.64.0.1", List.of()));
        nodes.add(new NodeRow("old-nas", "worker", "NotReady", false, "192.168.1.40", "v1.29.2+k3s1", start - 300 * d,
                start - 3 * d, 4000, 8_264_634_368L, 0, false, false, "192.168.1.40", List.of()));
        metrics.put("nuc", new NodeMetric("nuc", 3600, 6_979_321_856L));
        metrics.put("desktop", new NodeMetric("desktop", 3700, 14_763_950_080L));
        metrics.put("dgx-spark", new NodeMetric("dgx-spark", 13400, 41_875_931_136L));
        String[][] apps = {
            {"default", "nginx", "3", "desktop"}, {"monitoring", "prometheus", "1", "nuc"},
            {"monitoring", "grafana", "1", "desktop"}, {"flux-system", "source-controller", "1", "nuc"},
            {"flux-system", "kustomize-controller", "1", "nuc"}, {"kube-system", "coredns", "1", "nuc"},
            {"kube-system", "traefik", "1", "nuc"}, {"ml", "ollama", "1", "dgx-spark"}, {"databases", "postgres", "1", "desktop"},
        };
        int i = 0;
        for (String[] a : apps) {
            int n = Integer.parseInt(a[2]);
            for (int k = 0; k < n; k++) {
                String name = a[1] + "-" + Integer.toHexString(0x7c9d5000 + i * 4099).substring(0, 6) + "-" + "qwxyz".charAt(k) + "k"
                        + (char) ('a' + i % 26) + "p";
                pods.add(new PodRow(a[0], name, 1, 1, "Running", i % 4 == 3 ? 1 : 0, a[3], start - (i + 2) * 3600L,
                        new String[] {"app", a[1]}));
                i++;
            }
            services.add(new ServiceRow(a[0], a[1], a[1].equals("traefik") ? "LoadBalancer" : "ClusterIP", "10.43.0." + (10 + i),
                    Map.of("app", a[1]), List.of(a[1].equals("traefik") ? "80:30080/TCP" : "80/TCP"), start - 10 * d,
                    a[1].equals("traefik") ? "100.64.0.1" : null));
        }
        pods.add(new PodRow("default", "backup-job-29135-x7k2p", 0, 1, "Completed", 0, "desktop", start - 7200, new String[0]));
        pods.add(new PodRow("ml", "comfyui-5d8f9c7b44-r2n8k", 0, 1, "CrashLoopBackOff", 7, "dgx-spark", start - 5400,
                new String[] {"app", "comfyui"}));
        services.add(new ServiceRow("ml", "comfyui", "ClusterIP", "10.43.0.99", Map.of("app", "comfyui"), List.of("8188/TCP"),
                start - 2 * d, null));
        services.add(new ServiceRow("default", "kubernetes", "ClusterIP", "10.43.0.1", Map.of(), List.of("443/TCP"),
                start - 45 * d, null));
        long ms = nowMs;
        events.add(new EventRow("ml", "e1", "Warning", "BackOff", "Pod", "comfyui-5d8f9c7b44-r2n8k",
                "Back-off restarting failed container comfyui", ms - 40_000, 7));
        events.add(new EventRow("default", "e2", "Normal", "Started", "Pod", "nginx-7c9d50-qkap",
                "Started container nginx on desktop", ms - 120_000, 1));
        events.add(new EventRow("", "e3", "Warning", "NodeNotReady", "Node", "old-nas",
                "Node old-nas status is now: NodeNotReady", ms - 3 * 86_400_000L, 1));
        events.add(new EventRow("", "e4", "Normal", "RegisteredNode", "Node", "dgx-spark",
                "Node dgx-spark joined the cluster", ms - 300_000, 1));
    }

    /** Moves CPU and memory use a little, as a live cluster would. */
    public synchronized void tick() {
        version++;
        for (var e : new ArrayList<>(metrics.values())) {
            long cpu = Math.max(100, e.cpuMilli() + (rnd.nextInt(801) - 400));
            long mem = Math.max(1L << 28, e.memBytes() + (rnd.nextInt(201) - 100) * (1L << 20));
            metrics.put(e.node(), new NodeMetric(e.node(), cpu, mem));
        }
    }

    /** Cordons or uncordons a sample node. */
    public synchronized boolean setUnschedulable(String node, boolean u) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(node)) {
                nodes.set(i, nodes.get(i).withUnschedulable(u));
                version++;
                return true;
            }
        }
        return false;
    }

    public synchronized long version() {
        return version;
    }

    public synchronized ClusterSnapshot snapshot(long nowMs) {
        ClusterSnapshot.Meta meta = new ClusterSnapshot.Meta(NAME, SERVER, "sample", "v1.31.4+k3s1",
                ClusterSnapshot.Connection.LIVE, nowMs, 0, null, true);
        List<FluxRow> flux = List.of(
                new FluxRow("GitRepository", "flux-system", "flux-system", "True", "main@sha1:3f2c9e1a", "stored artifact"),
                new FluxRow("Kustomization", "flux-system", "apps", "True", "main@sha1:3f2c9e1a", "Applied revision"),
                new FluxRow("Kustomization", "flux-system", "infrastructure", "True", "main@sha1:3f2c9e1a", "Applied revision"));
        List<EventRow> ev = new ArrayList<>(events);
        ev.sort((a, b) -> Long.compare(b.last(), a.last()));
        return new ClusterSnapshot(meta, nodes, new ArrayList<>(pods), services, ev, metrics, true,
                new ClusterSnapshot.Flux(true, flux));
    }
}
