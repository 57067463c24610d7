package dev.kubani.tui.view;

import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.EventRow;
import dev.kubani.kube.NodeRow;
import dev.kubani.kube.PodRow;
import dev.kubani.kube.ServiceRow;
import dev.kubani.tui.render.EventRender;
import dev.kubani.tui.render.NodeRender;
import dev.kubani.tui.render.PodRender;
import dev.kubani.tui.render.ServiceRender;
import java.util.Comparator;
import java.util.List;

/** One small view per resource: where its rows come from and how they sort. */
public final class Views {
    private Views() {
    }

    public static final class NodesView extends TableView<NodeRow> {
        public NodesView() {
            super("Nodes", new NodeRender(), List.of(
                    new Sort<>("name", Comparator.comparing(NodeRow::name)),
                    new Sort<>("status", Comparator.comparing(NodeRow::status).thenComparing(NodeRow::name)),
                    new Sort<>("role", Comparator.comparing(NodeRow::role).thenComparing(NodeRow::name))));
        }

        @Override
        protected List<NodeRow> items(ClusterSnapshot s) {
            return s.nodes();
        }
    }

    public static final class ServicesView extends TableView<ServiceRow> {
        public ServicesView() {
            super("Services", new ServiceRender(), List.of(
                    new Sort<>("namespace", Comparator.comparing(ServiceRow::namespace).thenComparing(ServiceRow::name)),
                    new Sort<>("name", Comparator.comparing(ServiceRow::name)),
                    new Sort<>("type", Comparator.comparing(ServiceRow::type).thenComparing(ServiceRow::name))));
        }

        @Override
        protected List<ServiceRow> items(ClusterSnapshot s) {
            return s.services();
        }

        @Override
        protected String key(ServiceRow s) {
            return s.key();
        }
    }

    public static final class PodsView extends TableView<PodRow> {
        public PodsView() {
            super("Pods", new PodRender(), List.of(
                    new Sort<>("namespace", Comparator.comparing(PodRow::namespace).thenComparing(PodRow::name)),
                    new Sort<>("name", Comparator.comparing(PodRow::name)),
                    new Sort<>("status", Comparator.comparing(PodRow::status).thenComparing(PodRow::name)),
                    new Sort<>("restarts", Comparator.comparingInt(PodRow::restarts).reversed().thenComparing(PodRow::name)),
                    new Sort<>("node", Comparator.comparing((PodRow p) -> p.node() == null ? "" : p.node()).thenComparing(PodRow::name)),
                    new Sort<>("age", Comparator.comparingLong(PodRow::created).reversed().thenComparing(PodRow::name))));
        }

        @Override
        protected List<PodRow> items(ClusterSnapshot s) {
            return s.pods();
        }

        @Override
        protected String key(PodRow p) {
            return p.key();
        }

        @Override
        protected boolean sameItem(PodRow a, PodRow b) {
            return a == b || a.name().equals(b.name()) && a.namespace().equals(b.namespace());
        }
    }

    public static final class EventsView extends TableView<EventRow> {
        public EventsView() {
            super("Events", new EventRender(), List.of(
                    new Sort<>("newest", (a, b) -> Long.compare(b.last(), a.last())),
                    new Sort<>("type", Comparator.comparing(EventRow::type).reversed()
                            .thenComparing((a, b) -> Long.compare(b.last(), a.last())))));
        }

        @Override
        protected List<EventRow> items(ClusterSnapshot s) {
            return s.events();
        }

        @Override
        protected String key(EventRow e) {
            return e.key();
        }
    }
}
