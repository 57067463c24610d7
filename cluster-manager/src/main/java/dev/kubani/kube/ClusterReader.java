package dev.kubani.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One read of the cluster, for {@code status}: nodes, metrics, Flux, and optionally pods, services and events. */
public final class ClusterReader {
    public static final String METRICS_NODES = "/apis/metrics.k8s.io/v1beta1/nodes";
    static final String[][] FLUX_KINDS = {
        {"GitRepository", "source.toolkit.fluxcd.io", "gitrepositories", "v1"},
        {"Kustomization", "kustomize.toolkit.fluxcd.io", "kustomizations", "v1"},
    };

    private final KubeApi api;

    /** What to read besides nodes, metrics and Flux. {@code namespace} null means all namespaces. */
    public record Options(boolean pods, String namespace, boolean services, boolean events) {
        public static Options nodesOnly() {
            return new Options(false, null, false, false);
        }
    }

    public ClusterReader(KubeApi api) {
        this.api = api;
    }

    public ClusterSnapshot read(String cluster, String context, Options o) {
        // The pod list is by far the largest: it streams on its own thread while the rest is read here.
        java.util.concurrent.CompletableFuture<List<PodRow>> podsF = o.pods()
                ? java.util.concurrent.CompletableFuture.supplyAsync(() -> api.list(nsPath("pods", o.namespace()),
                        KubeApi.POD_DECODER).map(KubeApi.Listed::items).orElse(List.of()), r -> {
                            Thread t = new Thread(r, "kubani-list-pods");
                            t.setDaemon(true);
                            t.start();
                        })
                : java.util.concurrent.CompletableFuture.completedFuture(List.of());
        String version = api.version();
        List<NodeRow> nodes = api.list("/api/v1/nodes", Decoders::node).map(KubeApi.Listed::items).orElse(List.of());
        nodes = new ArrayList<>(nodes);
        nodes.sort(Comparator.comparing(NodeRow::name));
        List<PodRow> pods;
        try {
            pods = podsF.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        if (!sorted(pods, PodRow.BY_NAMESPACE_NAME)) {
            pods = new ArrayList<>(pods);
            pods.sort(PodRow.BY_NAMESPACE_NAME);
        }
        List<ServiceRow> services = o.services()
                ? api.list(nsPath("services", o.namespace()), Decoders::service).map(KubeApi.Listed::items).orElse(List.of())
                : List.of();
        List<EventRow> events = o.events()
                ? api.list(nsPath("events", o.namespace()), Decoders::event).map(KubeApi.Listed::items).orElse(List.of())
                : List.of();
        Map<String, NodeMetric> metrics = new HashMap<>();
        boolean metricsOk = readMetrics(api, metrics);
        ClusterSnapshot.Meta meta = new ClusterSnapshot.Meta(cluster, api.server(), context, version,
                ClusterSnapshot.Connection.LIVE, System.currentTimeMillis(), 0, null, false);
        return new ClusterSnapshot(meta, nodes, pods, services, events, metrics, metricsOk, readFlux(api));
    }

    /** API servers list in key order (namespace/name); sort only when this one did not. */
    static <T> boolean sorted(List<T> l, Comparator<T> c) {
        for (int i = 1; i < l.size(); i++) {
            if (c.compare(l.get(i - 1), l.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    static String nsPath(String resource, String namespace) {
        return namespace == null ? "/api/v1/" + resource : "/api/v1/namespaces/" + namespace + "/" + resource;
    }

    /** Node usage from metrics.k8s.io; false when the API is not served (404/503: metrics-server absent or down). */
    public static boolean readMetrics(KubeApi api, Map<String, NodeMetric> into) {
        try {
            Optional<KubeApi.Listed<NodeMetric>> l = api.list(METRICS_NODES, Decoders::nodeMetric);
            if (l.isEmpty()) {
                return false;
            }
            for (NodeMetric m : l.get().items()) {
                into.put(m.node(), m);
            }
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 503 || e.getCode() == 404 || e.getCode() == 403) {
                return false;
            }
            throw e;
        }
    }

    /** Flux's GitRepositories and Kustomizations, or NOT_INSTALLED when neither CRD exists. */
    public static ClusterSnapshot.Flux readFlux(KubeApi api) {
        List<FluxRow> rows = new ArrayList<>();
        boolean any = false;
        for (String[] k : FLUX_KINDS) {
            String crd = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + k[2] + "." + k[1];
            Optional<JsonNode> def;
            try {
                def = api.get(crd);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403) {
                    throw e;
                }
                def = Optional.empty(); // not allowed to read CRDs: try the list itself below
                Optional<KubeApi.Listed<FluxRow>> l = listFlux(api, k, k[3]);
                if (l.isPresent()) {
                    any = true;
                    rows.addAll(l.get().items());
                }
                continue;
            }
            if (def.isEmpty()) {
                continue;
            }
            any = true;
            String version = storedVersion(def.get(), k[3]);
            listFlux(api, k, version).ifPresent(l -> rows.addAll(l.items()));
        }
        if (!any) {
            return ClusterSnapshot.Flux.NOT_INSTALLED;
        }
        rows.sort(Comparator.comparing(FluxRow::kind).thenComparing(FluxRow::namespace).thenComparing(FluxRow::name));
        return new ClusterSnapshot.Flux(true, rows);
    }

    private static Optional<KubeApi.Listed<FluxRow>> listFlux(KubeApi api, String[] k, String version) {
        return api.list("/apis/" + k[1] + "/" + version + "/" + k[2], j -> {
            FluxRow r = Decoders.flux(j);
            return r.kind().isEmpty() ? new FluxRow(k[0], r.namespace(), r.name(), r.ready(), r.revision(), r.message()) : r;
        });
    }

    private static String storedVersion(JsonNode crd, String dflt) {
        String served = null;
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("storage").asBoolean(false)) {
                return v.path("name").asText(dflt);
            }
            if (served == null && v.path("served").asBoolean(false)) {
                served = v.path("name").asText();
            }
        }
        return served == null ? dflt : served;
    }
}
