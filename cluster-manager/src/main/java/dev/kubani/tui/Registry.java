package dev.kubani.tui;

import dev.kubani.tui.view.TableView;
import dev.kubani.tui.view.Views;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps each resource kind to its view (which holds its renderer); the data access object behind
 * all of them is the model's {@link dev.kubani.tui.dao.ClusterSource}. Views never call the API.
 */
public final class Registry {
    public static final List<String> KINDS = List.of("nodes", "services", "pods", "events");
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("nodes", "nodes"), Map.entry("node", "nodes"), Map.entry("no", "nodes"),
            Map.entry("services", "services"), Map.entry("service", "services"), Map.entry("svc", "services"),
            Map.entry("pods", "pods"), Map.entry("pod", "pods"), Map.entry("po", "pods"),
            Map.entry("events", "events"), Map.entry("event", "events"), Map.entry("ev", "events"),
            Map.entry("dashboard", "dashboard"), Map.entry("dash", "dashboard"), Map.entry("home", "dashboard"));

    private final Map<String, TableView<?>> views = new LinkedHashMap<>();

    public Registry() {
        views.put("nodes", new Views.NodesView());
        views.put("services", new Views.ServicesView());
        views.put("pods", new Views.PodsView());
        views.put("events", new Views.EventsView());
    }

    public TableView<?> view(String kind) {
        return views.get(kind);
    }

    public Iterable<TableView<?>> all() {
        return views.values();
    }

    /** The kind a ':' command names, or null. */
    public static String resolve(String command) {
        return ALIASES.get(command.trim().toLowerCase(java.util.Locale.ROOT));
    }
}
