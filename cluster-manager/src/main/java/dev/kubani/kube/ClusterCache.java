package dev.kubani.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live cluster for the dashboard: reflectors (list + watch) for nodes, pods, services and
 * events, node metrics polled for the nodes on screen, Flux read on refresh, and the connection
 * state (live, stale since when and why, authentication failed). {@link #snapshot()} copies it
 * into an immutable {@link ClusterSnapshot}.
 */
public final class ClusterCache implements AutoCloseable, Reflector.Listener {
    private static final int MAX_EVENTS = 500;

    private final KubeApi api;
    private final KubeConnect.Target target;
    private final String cluster;
    private final Reflector<NodeRow> nodes;
    private final Reflector<PodRow> pods;
    private final Reflector<ServiceRow> services;
    private final Reflector<EventRow> events;
    private final Set<String> synced = ConcurrentHashMap.newKeySet();
    /** Resources the server refuses with an HTTP error other than 401/403 (the rest of the dashboard stays live). */
    private final Map<String, String> unavailable = new ConcurrentHashMap<>();
    private final Map<String, NodeMetric> metrics = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean metricsAvailable;
    private volatile ClusterSnapshot.Flux flux = ClusterSnapshot.Flux.NOT_INSTALLED;
    private volatile String version = "…";
    private volatile long updatedMs;
    private volatile long staleSinceMs;
    private volatile String problem;
    private volatile boolean authFailed;
    private volatile Set<String> visibleNodes = Set.of();
    /** When metrics.k8s.io and Flux's CRDs were last looked for; absent APIs are looked for again only every 30 s. */
    private long metricsProbeMs;
    private long fluxReadMs;
    private boolean metricsServed = true;
    private static final long PROBE_MS = 30_000;

    public ClusterCache(KubeApi api, KubeConnect.Target target, String cluster, long backoffMinMs, long backoffMaxMs) {
        this.api = api;
        this.target = target;
        this.cluster = cluster;
        this.nodes = new Reflector<>(api, "nodes", "/api/v1/nodes", Decoders::node, NodeRow::name, this, backoffMinMs, backoffMaxMs);
        this.pods = new Reflector<>(api, "pods", "/api/v1/pods", KubeApi.POD_DECODER, PodRow::key, this, backoffMinMs, backoffMaxMs);
        this.services = new Reflector<>(api, "services", "/api/v1/services", Decoders::service, ServiceRow::key, this,
                backoffMinMs, backoffMaxMs);
        this.events = new Reflector<>(api, "events", "/api/v1/events", Decoders::event, EventRow::key, this,
                backoffMinMs, backoffMaxMs);
    }

    public ClusterCache start() {
        nodes.start();
        pods.start();
        services.start();
        events.start();
        return this;
    }

    public KubeApi api() {
        return api;
    }

    /** A counter that moves whenever the cache changes; the model rebuilds its snapshot when it moved. */
    public long changes() {
        return changes.get();
    }

    /** The nodes on screen: only their metrics are polled. */
    public void setVisibleNodes(Collection<String> names) {
        visibleNodes = Set.copyOf(names);
    }

    /** Periodic work on the model's thread: version, metrics of visible nodes, Flux. Failures are reported, not thrown. */
    public void poll() {
        try {
            String oldVersion = version;
            if ("…".equals(version) || version.startsWith("unknown")) {
                version = api.version();
            }
            Map<String, NodeMetric> before = new HashMap<>(metrics);
            boolean hadMetrics = metricsAvailable;
            long now = System.currentTimeMillis();
            if (!metricsServed && now - metricsProbeMs >= PROBE_MS || metricsProbeMs == 0) {
                metricsProbeMs = now;
                metricsServed = api.get("/apis/metrics.k8s.io/v1beta1").isPresent();
                if (!metricsServed) {
                    metricsAvailable = false;
                    metrics.clear();
                }
            }
            if (metricsServed) {
                pollMetrics();
            }
            ClusterSnapshot.Flux f = flux;
            if (flux.installed() || now - fluxReadMs >= PROBE_MS) {
                fluxReadMs = now;
                f = ClusterReader.readFlux(api);
            }
            boolean changed = !f.equals(flux) || !before.equals(metrics) || hadMetrics != metricsAvailable
                    || !oldVersion.equals(version);
            flux = f;
            if (changed) {
                changes.incrementAndGet();
            }
        } catch (RuntimeException e) {
            failed("poll", e);
        }
    }

    private void pollMetrics() {
        Set<String> want = visibleNodes;
        if (want.isEmpty()) {
            return;
        }
        boolean any = false;
        for (String n : want) {
            try {
                Optional<JsonNode> m = api.get(ClusterReader.METRICS_NODES + "/" + n);
                if (m.isPresent()) {
                    metrics.put(n, Decoders.nodeMetric(m.get()));
                    any = true;
                } else {
                    metrics.remove(n);
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() == 503 || e.getCode() == 403) {
                    metricsAvailable = false;
                    return;
                }
                throw e;
            }
        }
        metricsAvailable = any || metricsAvailable;
    }

    /** Lists everything again now (the 'r' key). */
    public void resync() {
        nodes.resync();
        pods.resync();
        services.resync();
        events.resync();
    }

    @Override
    public void synced(String resource) {
        synced.add(resource);
        unavailable.remove(resource);
        if (synced.containsAll(List.of("nodes", "pods", "services", "events"))) {
            staleSinceMs = 0;
            problem = null;
            authFailed = false;
        }
        touch();
    }

    @Override
    public void changed(String resource) {
        touch();
    }

    private void touch() {
        updatedMs = System.currentTimeMillis();
        changes.incrementAndGet();
    }

    @Override
    public void failed(String resource, RuntimeException e) {
        if (e instanceof KubernetesClientException k && k.getCode() >= 400 && k.getCode() != 401 && k.getCode() != 403) {
            unavailable.put(resource, resource + " unavailable (HTTP " + k.getCode() + ")");
            synced.add(resource);
            changes.incrementAndGet();
            return;
        }
        synced.remove(resource);
        if (staleSinceMs == 0) {
            staleSinceMs = System.currentTimeMillis();
        }
        authFailed = e instanceof KubernetesClientException k && (k.getCode() == 401 || k.getCode() == 403);
        problem = KubeConnect.explain(e, target).getMessage();
        changes.incrementAndGet();
    }

    public ClusterSnapshot snapshot() {
        ClusterSnapshot.Connection c = authFailed ? ClusterSnapshot.Connection.AUTH_FAILED
                : staleSinceMs != 0 ? ClusterSnapshot.Connection.STALE
                : synced.size() < 4 ? ClusterSnapshot.Connection.CONNECTING : ClusterSnapshot.Connection.LIVE;
        ClusterSnapshot.Meta meta = new ClusterSnapshot.Meta(cluster, api.server(), target == null ? "-" : target.context(), version,
                c, updatedMs, staleSinceMs, problem != null || unavailable.isEmpty() ? problem
                        : String.join("; ", unavailable.values()), false);
        List<EventRow> ev = new ArrayList<>(events.store().values());
        ev.sort((a, b) -> Long.compare(b.last(), a.last()));
        if (ev.size() > MAX_EVENTS) {
            ev = new ArrayList<>(ev.subList(0, MAX_EVENTS));
        }
        return new ClusterSnapshot(meta, new ArrayList<>(nodes.store().values()), new ArrayList<>(pods.store().values()),
                new ArrayList<>(services.store().values()), ev, new HashMap<>(metrics), metricsAvailable, flux);
    }

    @Override
    public void close() {
        nodes.close();
        pods.close();
        services.close();
        events.close();
    }
}
