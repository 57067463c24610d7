package dev.kubani.tui.dao;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubani.kube.ClusterCache;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.KubeApi;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Collection;
import java.util.Optional;

/** The live cluster, through the shared kube layer's informer cache. */
public final class LiveSource implements ClusterSource {
    private final ClusterCache cache;
    private final KubeApi api;

    public LiveSource(ClusterCache cache) {
        this.cache = cache;
        this.api = cache.api();
    }

    @Override
    public ClusterSnapshot snapshot() {
        return cache.snapshot();
    }

    @Override
    public long changes() {
        return cache.changes();
    }

    @Override
    public void poll() {
        cache.poll();
    }

    @Override
    public void resync() {
        cache.resync();
    }

    @Override
    public void setVisibleNodes(Collection<String> names) {
        cache.setVisibleNodes(names);
    }

    @Override
    public Optional<JsonNode> fetch(String kind, String namespace, String name) {
        String path = switch (kind) {
            case "node" -> "/api/v1/nodes/" + name;
            case "service" -> "/api/v1/namespaces/" + namespace + "/services/" + name;
            case "endpoints" -> "/api/v1/namespaces/" + namespace + "/endpoints/" + name;
            case "pod" -> "/api/v1/namespaces/" + namespace + "/pods/" + name;
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
        return api.get(path);
    }

    @Override
    public void setUnschedulable(String node, boolean unschedulable) {
        api.client().nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"unschedulable\":" + (unschedulable ? "true" : "null") + "}}");
    }

    @Override
    public void close() {
        cache.close();
        api.client().close();
    }
}
