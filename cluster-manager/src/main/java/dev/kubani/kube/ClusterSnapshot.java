package dev.kubani.kube;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster at one moment, immutable: what {@code status} prints and what every dashboard
 * frame draws. Built by {@link ClusterReader} (one read) or {@link ClusterCache} (list + watch).
 *
 * @param metrics node usage by node name; empty with {@code metricsAvailable} false when
 *                metrics.k8s.io is not served (metrics-server absent)
 */
public record ClusterSnapshot(Meta meta, List<NodeRow> nodes, List<PodRow> pods, List<ServiceRow> services,
                              List<EventRow> events, Map<String, NodeMetric> metrics, boolean metricsAvailable,
                              Flux flux) {

    /** How the data was obtained. */
    public enum Connection { CONNECTING, LIVE, STALE, AUTH_FAILED }

    /**
     * @param updatedMs    when the data last changed from the server (epoch ms; 0 before the first list)
     * @param staleSinceMs when the connection was lost (epoch ms), 0 while live
     * @param problem      one line for people about the connection (null when live)
     * @param sample       true for the built-in sample cluster
     */
    public record Meta(String cluster, String server, String context, String version, Connection state, long updatedMs,
                       long staleSinceMs, String problem, boolean sample) {
    }

    /** Flux's objects, or installed=false when its CRDs are absent. */
    public record Flux(boolean installed, List<FluxRow> rows) {
        public static final Flux NOT_INSTALLED = new Flux(false, List.of());
    }

    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
        pods = pods == null ? List.of() : java.util.Collections.unmodifiableList(pods);
        services = services == null ? List.of() : List.copyOf(services);
        events = events == null ? List.of() : List.copyOf(events);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        flux = flux == null ? Flux.NOT_INSTALLED : flux;
    }

    public ClusterSnapshot withMeta(Meta m) {
        return new ClusterSnapshot(m, nodes, pods, services, events, metrics, metricsAvailable, flux);
    }

    public long readyNodes() {
        return nodes.stream().filter(n -> "Ready".equals(n.status())).count();
    }

    public long runningPods() {
        long n = 0;
        for (PodRow p : pods) {
            if ("Running".equals(p.status())) {
                n++;
            }
        }
        return n;
    }

    /** Pods scheduled on {@code node} (filtered here: the API's spec.nodeName selector is not needed). */
    public List<PodRow> podsOn(String node) {
        List<PodRow> out = new ArrayList<>();
        for (PodRow p : pods) {
            if (node.equals(p.node())) {
                out.add(p);
            }
        }
        return out;
    }

    public List<PodRow> podsOf(ServiceRow s) {
        List<PodRow> out = new ArrayList<>();
        if (s.selector().isEmpty()) {
            return out;
        }
        for (PodRow p : pods) {
            if (s.selects(p) && !p.finished()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Ready and desired pod counts per service (key ns/name), computed from the selectors in one pass per namespace. */
    public Map<String, int[]> serviceCounts() {
        Map<String, List<ServiceRow>> byNs = new HashMap<>();
        for (ServiceRow s : services) {
            if (!s.selector().isEmpty()) {
                byNs.computeIfAbsent(s.namespace(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, int[]> out = new HashMap<>();
        for (ServiceRow s : services) {
            out.put(s.key(), new int[] {0, 0});
        }
        if (byNs.isEmpty()) {
            return out;
        }
        for (PodRow p : pods) {
            List<ServiceRow> l = byNs.get(p.namespace());
            if (l == null || p.finished()) {
                continue;
            }
            for (ServiceRow s : l) {
                if (s.selects(p)) {
                    int[] c = out.get(s.key());
                    c[1]++;
                    if (p.healthy()) {
                        c[0]++;
                    }
                }
            }
        }
        return out;
    }
}
