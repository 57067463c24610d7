package dev.kubani.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The namespace/name order of status --pods: the fast comparator, and sorting only lists that are out of order. */
class PodOrderTest {
    private static final Comparator<PodRow> PLAIN = Comparator.comparing(PodRow::namespace).thenComparing(PodRow::name);
    private static final String[] NS = {"default", "kube", "kube-system", "kube-public", "ns-1", "ns-10", "ns-2"};

    private static PodRow row(String ns, String name) {
        return new PodRow(ns, name, 1, 1, "Running", 0, "n", 0, new String[0]);
    }

    @Test
    @DisplayName("for any two pods the fast comparator orders as namespace-then-name does, shared namespaces or not")
    void sameOrder() {
        Seeds.forAll("fast pod comparator = namespace, then name", 200, rnd -> {
            List<PodRow> rows = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String ns = NS[rnd.nextInt(NS.length)];
                rows.add(row(rnd.nextBoolean() ? ns : new String(ns), "p-" + rnd.nextInt(30)));
            }
            for (PodRow a : rows) {
                for (PodRow b : rows) {
                    assertThat(Integer.signum(PodRow.BY_NAMESPACE_NAME.compare(a, b))).isEqualTo(Integer.signum(PLAIN.compare(a, b)));
                }
            }
            List<PodRow> sorted = new ArrayList<>(rows);
            sorted.sort(PodRow.BY_NAMESPACE_NAME);
            assertThat(ClusterReader.sorted(sorted, PodRow.BY_NAMESPACE_NAME)).isTrue();
        });
    }

    @Test
    @DisplayName("a list in etcd key order that is not namespace/name order is detected (and then sorted)")
    void keyOrderIsNotAlwaysNameOrder() {
        // etcd keys: "/registry/pods/kube-system/a" < "/registry/pods/kube/b" because '-' sorts before '/'
        List<PodRow> keyOrder = List.of(row("kube-system", "a"), row("kube", "b"));
        assertThat(ClusterReader.sorted(keyOrder, PodRow.BY_NAMESPACE_NAME)).isFalse();
        assertThat(ClusterReader.sorted(List.of(row("kube", "b"), row("kube-system", "a")), PodRow.BY_NAMESPACE_NAME)).isTrue();
    }
}
