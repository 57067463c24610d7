package dev.kubani.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns API objects (JSON, as the API server sends them) into the compact rows the dashboard
 * and {@code status} show. Pure functions, tested from fixtures shaped like real K3s objects.
 */
public final class Decoders {
    public static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";
    public static final String MASTER_LABEL = "node-role.kubernetes.io/master";
    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    public static final String FLANNEL_PUBLIC_IP = "flannel.alpha.coreos.com/public-ip";

    /** Repeated strings share one instance; bounded so a hostile stream cannot grow it without end. */
    private static final Map<String, String> INTERN = new ConcurrentHashMap<>();

    private Decoders() {
    }

    static String intern(String s) {
        if (s == null) {
            return null;
        }
        if (INTERN.size() > 200_000) {
            return s;
        }
        String prev = INTERN.putIfAbsent(s, s);
        return prev == null ? s : prev;
    }

    // ------------------------------------------------------------------ nodes

    public static NodeRow node(JsonNode n) {
        JsonNode md = n.path("metadata");
        JsonNode labels = md.path("labels");
        String role = labels.has(CONTROL_PLANE_LABEL) || labels.has(MASTER_LABEL) ? "control-plane" : "worker";
        JsonNode status = n.path("status");
        String ready = "Unknown";
        long heartbeat = 0;
        for (JsonNode c : status.path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                String s = c.path("status").asText();
                ready = "True".equals(s) ? "Ready" : "False".equals(s) ? "NotReady" : "Unknown";
                heartbeat = epochSeconds(c.path("lastHeartbeatTime").asText(null));
            }
        }
        String ip = null;
        for (JsonNode a : status.path("addresses")) {
            if ("InternalIP".equals(a.path("type").asText()) && ip == null) {
                ip = a.path("address").asText(null);
            }
        }
        JsonNode alloc = status.path("allocatable");
        JsonNode cap = status.path("capacity");
        int gpus = (int) Quantities.bytes(text(cap, GPU_RESOURCE) != null ? text(cap, GPU_RESOURCE) : text(alloc, GPU_RESOURCE));
        List<String> taints = new ArrayList<>();
        for (JsonNode t : n.path("spec").path("taints")) {
            String v = t.path("value").asText("");
            taints.add(t.path("key").asText() + (v.isEmpty() ? "" : "=" + v) + ":" + t.path("effect").asText());
        }
        return new NodeRow(md.path("name").asText(), role, ready, n.path("spec").path("unschedulable").asBoolean(false),
                ip, text(status.path("nodeInfo"), "kubeletVersion"), epochSeconds(text(md, "creationTimestamp")),
                heartbeat, Quantities.milli(text(alloc, "cpu")), Quantities.bytes(text(alloc, "memory")), gpus,
                truthy(labels.path("workstation")), truthy(labels.path("gpu")),
                text(md.path("annotations"), FLANNEL_PUBLIC_IP), taints);
    }

    // ------------------------------------------------------------------ pods

    public static PodRow pod(JsonNode p) {
        JsonNode md = p.path("metadata");
        JsonNode spec = p.path("spec");
        List<String> labels = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = md.path("labels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.add(e.getKey());
            labels.add(e.getValue().asText());
        }
        return pod(md.path("namespace").asText("default"), md.path("name").asText(), text(md, "creationTimestamp"),
                md.hasNonNull("deletionTimestamp"), labels, spec.path("nodeName").asText(null), spec.path("containers").size(),
                spec.path("initContainers").size(), p.path("status"));
    }

    /** The pod row from its parts; the streaming list decoder ({@link PodStream}) extracts them without a tree. */
    static PodRow pod(String namespace, String name, String created, boolean deleting, List<String> labelList, String node,
                      int containers, int initContainers, JsonNode st) {
        int ready = 0;
        int restarts = 0;
        String reason = st.path("reason").asText(null);
        String phase = st.path("phase").asText("Unknown");
        String status = reason != null && !reason.isEmpty() ? reason : phase;
        boolean initDone = true;
        int i = 0;
        for (JsonNode c : st.path("initContainerStatuses")) {
            restarts += c.path("restartCount").asInt();
            JsonNode term = c.path("state").path("terminated");
            JsonNode wait = c.path("state").path("waiting");
            if (!term.isMissingNode() && term.path("exitCode").asInt() == 0) {
                i++;
                continue;
            }
            initDone = false;
            if (!term.isMissingNode()) {
                status = "Init:" + term.path("reason").asText("Error");
            } else if (!wait.isMissingNode() && !"PodInitializing".equals(wait.path("reason").asText())) {
                status = "Init:" + wait.path("reason").asText("Waiting");
            } else {
                status = "Init:" + i + "/" + initContainers;
            }
            break;
        }
        if (initDone) {
            boolean anyRunning = false;
            for (JsonNode c : st.path("containerStatuses")) {
                restarts += c.path("restartCount").asInt();
                if (c.path("ready").asBoolean()) {
                    ready++;
                }
                JsonNode state = c.path("state");
                String w = state.path("waiting").path("reason").asText(null);
                String t = state.path("terminated").path("reason").asText(null);
                if (w != null && !w.isEmpty()) {
                    status = w;
                } else if (t != null && !t.isEmpty()) {
                    status = t;
                } else if (!state.path("terminated").isMissingNode()) {
                    int sig = state.path("terminated").path("signal").asInt();
                    status = sig != 0 ? "Signal:" + sig : "ExitCode:" + state.path("terminated").path("exitCode").asInt();
                } else if (!state.path("running").isMissingNode()) {
                    anyRunning = true;
                }
            }
            if ("Completed".equals(status) && anyRunning) {
                status = "Running";
            }
        } else {
            for (JsonNode c : st.path("containerStatuses")) {
                restarts += c.path("restartCount").asInt();
            }
        }
        if (deleting) {
            status = "NodeLost".equals(st.path("reason").asText()) ? "Unknown" : "Terminating";
        }
        String[] labels = new String[labelList.size()];
        for (int k = 0; k < labels.length; k++) {
            labels[k] = intern(labelList.get(k));
        }
        return new PodRow(intern(namespace), name, ready, containers, intern(status), restarts, intern(node),
                epochSeconds(created), labels);
    }

    // ------------------------------------------------------------------ services and events

    public static ServiceRow service(JsonNode s) {
        JsonNode md = s.path("metadata");
        JsonNode spec = s.path("spec");
        Map<String, String> sel = new LinkedHashMap<>();
        spec.path("selector").fields().forEachRemaining(e -> sel.put(e.getKey(), e.getValue().asText()));
        List<String> ports = new ArrayList<>();
        for (JsonNode p : spec.path("ports")) {
            String np = p.hasNonNull("nodePort") ? ":" + p.path("nodePort").asInt() : "";
            ports.add(p.path("port").asInt() + np + "/" + p.path("protocol").asText("TCP"));
        }
        String lb = null;
        for (JsonNode ing : s.path("status").path("loadBalancer").path("ingress")) {
            lb = ing.path("ip").asText(ing.path("hostname").asText(null));
        }
        return new ServiceRow(md.path("namespace").asText("default"), md.path("name").asText(),
                spec.path("type").asText("ClusterIP"), text(spec, "clusterIP"), sel, ports,
                epochSeconds(text(md, "creationTimestamp")), lb);
    }

    public static EventRow event(JsonNode e) {
        JsonNode md = e.path("metadata");
        String last = firstText(e, "lastTimestamp", "eventTime", "firstTimestamp");
        long lastMs = last == null ? epochSeconds(text(md, "creationTimestamp")) * 1000 : epochMillis(last);
        JsonNode obj = e.path("involvedObject");
        JsonNode series = e.path("series");
        int count = Math.max(e.path("count").asInt(1), series.path("count").asInt(0));
        return new EventRow(md.path("namespace").asText("default"), md.path("name").asText(), e.path("type").asText("Normal"),
                e.path("reason").asText(""), obj.path("kind").asText(""), obj.path("name").asText(""),
                e.path("message").asText("").strip(), lastMs, count);
    }

    // ------------------------------------------------------------------ metrics and flux

    public static NodeMetric nodeMetric(JsonNode m) {
        JsonNode u = m.path("usage");
        return new NodeMetric(m.path("metadata").path("name").asText(), Quantities.milli(text(u, "cpu")),
                Quantities.bytes(text(u, "memory")));
    }

    public static FluxRow flux(JsonNode f) {
        JsonNode md = f.path("metadata");
        String ready = "Unknown";
        String msg = "";
        for (JsonNode c : f.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                String s = c.path("status").asText();
                ready = "True".equals(s) ? "True" : "False".equals(s) ? "False" : "Unknown";
                msg = c.path("message").asText("");
            }
        }
        JsonNode st = f.path("status");
        String rev = st.hasNonNull("lastAppliedRevision") ? st.path("lastAppliedRevision").asText()
                : st.path("artifact").path("revision").asText("-");
        if (f.path("spec").path("suspend").asBoolean(false)) {
            ready = ready + " (suspended)";
        }
        return new FluxRow(f.path("kind").asText(), md.path("namespace").asText(), md.path("name").asText(), ready, rev, msg);
    }

    // ------------------------------------------------------------------ helpers

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstText(JsonNode n, String... fields) {
        for (String f : fields) {
            String v = text(n, f);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    private static boolean truthy(JsonNode v) {
        return !v.isMissingNode() && !v.isNull() && !"false".equalsIgnoreCase(v.asText()) && !v.asText().isEmpty();
    }

    public static long epochSeconds(String rfc3339) {
        long ms = epochMillis(rfc3339);
        return ms == 0 ? 0 : ms / 1000;
    }

    public static long epochMillis(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty() || rfc3339.startsWith("0001-")) {
            return 0;
        }
        if (rfc3339.length() == 20 && rfc3339.charAt(19) == 'Z' && rfc3339.charAt(10) == 'T') {
            // "2026-11-23T08:00:00Z", what the API server writes: parsed by hand, it is the hot path of big lists
            try {
                int y = Integer.parseInt(rfc3339, 0, 4, 10);
                int mo = Integer.parseInt(rfc3339, 5, 7, 10);
                int d = Integer.parseInt(rfc3339, 8, 10, 10);
                int h = Integer.parseInt(rfc3339, 11, 13, 10);
                int mi = Integer.parseInt(rfc3339, 14, 16, 10);
                int se = Integer.parseInt(rfc3339, 17, 19, 10);
                return (java.time.LocalDate.of(y, mo, d).toEpochDay() * 86400L + h * 3600L + mi * 60L + se) * 1000L;
            } catch (RuntimeException e) {
                // fall through to the full parser
            }
        }
        try {
            return OffsetDateTime.parse(rfc3339).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(rfc3339).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return 0;
            }
        }
    }
}
