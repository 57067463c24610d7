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
        JsonNode st = p.path("status");
        List<String> labels = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = md.path("labels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.add(intern(e.getKey()));
            labels.add(intern(e.getValue().asText()));
        }
        return pod(md.path("namespace").asText("default"), md.path("name").asText(),
                epochSeconds(text(md, "creationTimestamp")), md.hasNonNull("deletionTimestamp"), labels,
                spec.path("nodeName").asText(null), spec.path("containers").size(), spec.path("initContainers").size(),
                st.path("reason").asText(null), st.path("phase").asText("Unknown"), states(st.path("initContainerStatuses")),
                states(st.path("containerStatuses")));
    }

    static List<ContainerState> states(JsonNode statuses) {
        List<ContainerState> out = new ArrayList<>(statuses.size());
        for (JsonNode c : statuses) {
            JsonNode state = c.path("state");
            JsonNode w = state.path("waiting");
            JsonNode t = state.path("terminated");
            out.add(new ContainerState(c.path("restartCount").asInt(), c.path("ready").asBoolean(), !w.isMissingNode(),
                    w.path("reason").asText(null), !t.isMissingNode(), t.path("reason").asText(null), t.path("exitCode").asInt(),
                    t.path("signal").asInt(), !state.path("running").isMissingNode()));
        }
        return out;
    }

    /**
     * One entry of a pod's containerStatuses or initContainerStatuses, as the READY, STATUS and
     * RESTARTS columns need it. {@code waiting}, {@code terminated}, {@code running}: the state
     * has that field (whatever its value); reasons are null when absent or null; numbers 0.
     */
    record ContainerState(int restarts, boolean ready, boolean waiting, String waitingReason, boolean terminated,
                          String terminatedReason, int exitCode, int signal, boolean running) {
    }

    /**
     * The pod row from its parts, computed as kubectl computes its STATUS column; both the tree
     * decoder above and the streaming list decoder ({@link PodStream}) end here.
     *
     * @param labels label keys and values, alternating, each already {@link #intern}ed
     * @param reason status.reason (null when absent or null)
     * @param phase  status.phase ("Unknown" when absent or null)
     */
    static PodRow pod(String namespace, String name, long createdSeconds, boolean deleting, List<String> labels, String node,
                      int containers, int initContainers, String reason, String phase, List<ContainerState> inits,
                      List<ContainerState> statuses) {
        int ready = 0;
        int restarts = 0;
        String status = reason != null && !reason.isEmpty() ? reason : phase;
        boolean initDone = true;
        int i = 0;
        for (ContainerState c : inits) {
            restarts += c.restarts();
            if (c.terminated() && c.exitCode() == 0) {
                i++;
                continue;
            }
            initDone = false;
            if (c.terminated()) {
                status = "Init:" + (c.terminatedReason() == null ? "Error" : c.terminatedReason());
            } else if (c.waiting() && !"PodInitializing".equals(c.waitingReason())) {
                status = "Init:" + (c.waitingReason() == null ? "Waiting" : c.waitingReason());
            } else {
                status = "Init:" + i + "/" + initContainers;
            }
            break;
        }
        if (initDone) {
            boolean anyRunning = false;
            for (ContainerState c : statuses) {
                restarts += c.restarts();
                if (c.ready()) {
                    ready++;
                }
                String w = c.waitingReason();
                String t = c.terminatedReason();
                if (w != null && !w.isEmpty()) {
                    status = w;
                } else if (t != null && !t.isEmpty()) {
                    status = t;
                } else if (c.terminated()) {
                    status = c.signal() != 0 ? "Signal:" + c.signal() : "ExitCode:" + c.exitCode();
                } else if (c.running()) {
                    anyRunning = true;
                }
            }
            if ("Completed".equals(status) && anyRunning) {
                status = "Running";
            }
        } else {
            for (ContainerState c : statuses) {
                restarts += c.restarts();
            }
        }
        if (deleting) {
            status = "NodeLost".equals(reason) ? "Unknown" : "Terminating";
        }
        return new PodRow(intern(namespace), name, ready, containers, intern(status), restarts, intern(node), createdSeconds,
                labels.toArray(new String[0]));
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

    /**
     * {@link #epochSeconds(String)} of the characters, for the form the API server writes
     * ("2026-11-23T08:00:00Z") without making a String; Long.MIN_VALUE for any other form (the
     * caller then makes the String and asks {@link #epochSeconds(String)}).
     */
    static long epochSecondsUtc(char[] c, int off, int len) {
        if (len != 20 || c[off + 4] != '-' || c[off + 7] != '-' || c[off + 10] != 'T' || c[off + 13] != ':'
                || c[off + 16] != ':' || c[off + 19] != 'Z') {
            return Long.MIN_VALUE;
        }
        int y = digits(c, off, 4);
        int mo = digits(c, off + 5, 2);
        int d = digits(c, off + 8, 2);
        int h = digits(c, off + 11, 2);
        int mi = digits(c, off + 14, 2);
        int se = digits(c, off + 17, 2);
        if (y <= 1 || mo < 1 || mo > 12 || d < 1 || d > 28 || h < 0 || mi < 0 || se < 0) {
            return Long.MIN_VALUE; // "0001-..." (the zero time), days the month may not have, non-digits: the full path
        }
        long ms = (java.time.LocalDate.of(y, mo, d).toEpochDay() * 86400L + h * 3600L + mi * 60L + se) * 1000L;
        return ms == 0 ? 0 : ms / 1000;
    }

    private static int digits(char[] c, int off, int n) {
        int v = 0;
        for (int i = off; i < off + n; i++) {
            int x = c[i] - '0';
            if (x < 0 || x > 9) {
                return -1;
            }
            v = v * 10 + x;
        }
        return v;
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
