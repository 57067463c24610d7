package dev.kubani.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.PodRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pods view's filter and sort when snapshots are prepared off the render thread and adopted on it,
 * while the user keeps typing: the rows shown are always exactly the current snapshot's pods whose name
 * contains the current filter (ignoring case), in the current sort order.
 */
class TableViewFilterTest {
    private static final String[] WORDS = {"app", "api", "db", "Cache", "web", "job"};

    static ClusterSnapshot snap(List<PodRow> pods) {
        ClusterSnapshot.Meta m = new ClusterSnapshot.Meta("c", "https://127.0.0.1:6443", "ctx", "v1.31.4+k3s1",
                ClusterSnapshot.Connection.LIVE, 0, 0, null, false);
        return new ClusterSnapshot(m, List.of(), pods, List.of(), List.of(), Map.of(), false, ClusterSnapshot.Flux.NOT_INSTALLED);
    }

    static List<PodRow> pods(Random rnd, int n) {
        List<PodRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = WORDS[rnd.nextInt(WORDS.length)] + "-" + Integer.toString(rnd.nextInt(1 << 16), 36) + "-" + i;
            out.add(new PodRow("ns-" + rnd.nextInt(4), name, 1, 1, rnd.nextBoolean() ? "Running" : "Pending", rnd.nextInt(9),
                    "node-" + rnd.nextInt(5), 1_700_000_000L + rnd.nextInt(100_000), new String[0]));
        }
        out.sort(Comparator.comparing(PodRow::namespace).thenComparing(PodRow::name));
        return out;
    }

    /** What the view must show: the pods matching {@code filter}, in the order of sort number {@code sort}. */
    static List<PodRow> expected(List<PodRow> pods, String filter, int sort) {
        List<Comparator<PodRow>> orders = List.of(Comparator.comparing(PodRow::namespace).thenComparing(PodRow::name),
                Comparator.comparing(PodRow::name), Comparator.comparing(PodRow::status).thenComparing(PodRow::name));
        List<PodRow> l = new ArrayList<>(pods);
        if (sort > 0) {
            l.sort(orders.get(sort));
        }
        String f = filter.toLowerCase(Locale.ROOT);
        return l.stream().filter(p -> p.name().toLowerCase(Locale.ROOT).contains(f)).toList();
    }

    @Test
    @DisplayName("typing, widening, clearing and re-sorting between prepare and adopt always shows the right rows")
    void typingWhileSnapshotsArrive() {
        Random rnd = new Random(7);
        Views.PodsView v = new Views.PodsView();
        String filter = "";
        int sort = 0;
        for (int round = 0; round < 200; round++) {
            List<PodRow> pods = pods(rnd, 50 + rnd.nextInt(400));
            TableView.Prepared<PodRow> p = v.prepare(snap(pods)); // on the model's thread
            // meanwhile, on the render thread, the user types, deletes, clears or changes the sort
            switch (rnd.nextInt(5)) {
                case 0 -> filter = filter + "ap".charAt(rnd.nextInt(2));
                case 1 -> filter = filter.isEmpty() ? "" : filter.substring(0, filter.length() - 1);
                case 2 -> filter = rnd.nextBoolean() ? "" : "CA";
                case 3 -> {
                    if (sort < 2) {
                        v.cycleSort();
                        sort++;
                    }
                }
                default -> {
                }
            }
            v.setFilter(filter);
            v.adopt(p);
            assertThat(v.rows()).as("round %d, filter '%s', sort %d", round, filter, sort).isEqualTo(expected(pods, filter, sort));
            // and a keystroke after the snapshot narrows the adopted rows correctly
            String more = filter + "a";
            v.setFilter(more);
            assertThat(v.rows()).isEqualTo(expected(pods, more, sort));
            v.setFilter(filter);
            assertThat(v.rows()).isEqualTo(expected(pods, filter, sort));
        }
    }

    @Test
    @DisplayName("the selection stays on the same pod when a new snapshot moves it")
    void selectionFollowsThePod() {
        Random rnd = new Random(3);
        List<PodRow> pods = pods(rnd, 100);
        Views.PodsView v = new Views.PodsView();
        v.update(snap(pods));
        v.move(40);
        PodRow sel = v.selected();
        List<PodRow> more = new ArrayList<>(pods);
        more.add(0, new PodRow("aaa", "first", 1, 1, "Running", 0, "node-0", 1_700_000_000L, new String[0]));
        PodRow changed = new PodRow(sel.namespace(), sel.name(), 0, 1, "CrashLoopBackOff", 3, sel.node(), sel.created(), new String[0]);
        more.set(more.indexOf(sel), changed);
        v.adopt(v.prepare(snap(more)));
        assertThat(v.selected()).isSameAs(changed);
    }
}
