package dev.kubani.tui.dao;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubani.kube.ClusterSnapshot;
import java.util.Collection;
import java.util.Optional;

/**
 * Where the dashboard's data comes from: the live API (informer caches) or the built-in sample
 * cluster. Only the model calls it; views never do.
 */
public interface ClusterSource extends AutoCloseable, Cordonable {
    /** The current state, copied into an immutable snapshot. */
    ClusterSnapshot snapshot();

    /** Moves whenever the data changed since the last call's value. */
    long changes();

    /** Periodic reads that are not watched: metrics of the visible nodes, Flux, version. */
    void poll();

    /** Lists everything again now (the 'r' key). */
    void resync();

    /** The nodes on screen, so metrics are polled only for them. */
    void setVisibleNodes(Collection<String> names);

    /**
     * The full object, fetched on demand for a detail view: kind is "node", "service",
     * "endpoints" or "pod". Empty when it no longer exists.
     */
    Optional<JsonNode> fetch(String kind, String namespace, String name);

    @Override
    void close();
}
