package dev.kubani.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.Seeds;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Readiness against fabric8's mock API server in CRUD mode, standing in for K3s's API server. */
@EnableKubernetesMockClient(crud = true)
class NodeReadinessTest {
    static KubernetesClient client;

    @Test
    @DisplayName("Property 10: Node readiness verification - success only when every named node reports Ready")
    void property10() {
        String[] statuses = {"True", "False", "Unknown", null, "absent"};
        Seeds.forAll("Property 10: Node readiness verification", 100, r -> {
            client.nodes().delete();
            int n = 1 + r.nextInt(4);
            List<String> names = new ArrayList<>();
            Map<String, String> expected = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = "node-" + i;
                names.add(name);
                String s = statuses[r.nextInt(statuses.length)];
                if (!"absent".equals(s)) {
                    client.nodes().resource(K3sNodes.node(name, i == 0, "100.64.0." + (i + 1), s)).create();
                }
                expected.put(name, s == null ? "Unknown" : s);
            }
            // an unrelated Ready node must not make a missing one count
            client.nodes().resource(K3sNodes.node("other", false, "100.64.1.1", "True")).create();
            Map<String, String> got;
            try {
                got = new NodeReadiness(client, Duration.ofMillis(10)).await(names, Duration.ZERO, (a, b) -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            boolean allReady = expected.values().stream().allMatch("True"::equals);
            assertThat(NodeReadiness.allReady(got)).isEqualTo(allReady);
            expected.forEach((name, s) -> {
                String state = got.get(name);
                switch (s) {
                    case "True" -> assertThat(state).isEqualTo("Ready");
                    case "False" -> assertThat(state).startsWith("NotReady (KubeletNotReady");
                    case "absent" -> assertThat(state).isEqualTo("not registered");
                    default -> assertThat(state).startsWith("Unknown");
                }
            });
        });
        client.nodes().delete();
    }

    @Test
    @DisplayName("a node that turns Ready during the wait ends the wait")
    void waitsUntilReady() throws Exception {
        client.nodes().delete();
        client.nodes().resource(K3sNodes.node("late", false, "100.64.0.7", "False")).create();
        CountDownLatch seenNotReady = new CountDownLatch(1);
        AtomicReference<Map<String, String>> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(new NodeReadiness(client, Duration.ofMillis(20)).await(List.of("late"), Duration.ofSeconds(30),
                        (n, s) -> {
                            if (s.startsWith("NotReady")) {
                                seenNotReady.countDown();
                            }
                        }));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        assertThat(seenNotReady.await(10, TimeUnit.SECONDS)).isTrue();
        Node ready = K3sNodes.node("late", false, "100.64.0.7", "True");
        client.nodes().resource(ready).update();
        t.join(15_000);
        assertThat(result.get()).containsEntry("late", "Ready");
    }
}
