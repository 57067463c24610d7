package dev.kubani.tui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.Decoders;
import dev.kubani.kube.EventRow;
import dev.kubani.kube.NodeMetric;
import dev.kubani.kube.NodeRow;
import dev.kubani.kube.PodRow;
import dev.kubani.kube.ServiceRow;
import dev.kubani.testutil.Seeds;
import dev.kubani.tui.render.Cell;
import dev.kubani.tui.render.DetailRender;
import dev.kubani.tui.render.EventRender;
import dev.kubani.tui.render.NodeRender;
import dev.kubani.tui.render.PodRender;
import dev.kubani.tui.render.ServiceRender;
import dev.kubani.tui.render.Tone;
import dev.kubani.tui.view.Views;
import dev.tamboui.buffer.Buffer;
import dev.tamboui.layout.Rect;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Pure renderers, from JSON fixtures shaped like real K3s objects, and the panels they fill (Properties 22 and 23). */
class RenderTest {
    static final long NOW = Instant.parse("2026-11-23T10:00:30Z").toEpochMilli();

    static JsonNode fixture(String name) {
        try (InputStream in = RenderTest.class.getResourceAsStream("/dev/kubani/kube/" + name)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ClusterSnapshot snap(List<NodeRow> nodes, List<PodRow> pods, List<ServiceRow> svcs, Map<String, NodeMetric> m) {
        return new ClusterSnapshot(new ClusterSnapshot.Meta("homelab", "https://100.64.0.1:6443", "homelab", "v1.31.4+k3s1",
                ClusterSnapshot.Connection.LIVE, NOW, 0, null, false), nodes, pods, svcs, List.of(), m, !m.isEmpty(), null);
    }

    static List<String> texts(List<Cell> cells) {
        return cells.stream().map(Cell::text).toList();
    }

    @Test
    @DisplayName("node rows from K3s fixtures: role, status colour, CPU %, memory used/allocatable, Tailscale IP, GPU, labels")
    void nodeRows() {
        NodeRow nuc = Decoders.node(fixture("node-k3s-server.json"));
        NodeRow dgx = Decoders.node(fixture("node-k3s-agent-gpu-unknown.json"));
        NodeMetric m = Decoders.nodeMetric(fixture("nodemetrics-nuc.json"));
        ClusterSnapshot s = snap(List.of(nuc, dgx), List.of(), List.of(), Map.of("nuc", m, "dgx-spark", new NodeMetric("dgx-spark", 1, 1)));
        List<Cell> a = new NodeRender().row(nuc, s, NOW);
        assertThat(texts(a)).containsExactly("nuc", "control-plane", "Ready", "45%", "6.7Gi/15Gi", "100.64.0.1", "-", "-");
        assertThat(a.get(2).tone()).isEqualTo(Tone.OK);
        List<Cell> b = new NodeRender().row(dgx, s, NOW);
        assertThat(texts(b)).containsExactly("dgx-spark", "worker", "Unknown (cordoned)", "N/A", "N/A", "192.168.1.23", "1",
                "workstation,gpu");
        assertThat(b.get(2).tone()).isEqualTo(Tone.WARN);
        assertThat(b.get(5).tone()).as("an InternalIP outside the tailnet is flagged").isEqualTo(Tone.WARN);
        NodeRow notReady = nuc.withStatus("NotReady");
        assertThat(new NodeRender().row(notReady, s, NOW).get(2).tone()).isEqualTo(Tone.BAD);
    }

    @Test
    @DisplayName("pod, service and event rows from K3s fixtures")
    void otherRows() {
        PodRow crash = Decoders.pod(fixture("pod-crashloop.json"));
        List<Cell> p = new PodRender().row(crash, snap(List.of(), List.of(crash), List.of(), Map.of()), NOW);
        assertThat(texts(p)).containsExactly("ml", "comfyui-5d8f9c7b44-r2n8k", "1/2", "CrashLoopBackOff", "7", "dgx-spark", "60m");
        assertThat(p.get(3).tone()).isEqualTo(Tone.BAD);

        ServiceRow traefik = Decoders.service(fixture("service-traefik.json"));
        PodRow tp = new PodRow("kube-system", "traefik-1", 1, 1, "Running", 0, "nuc", 0,
                new String[] {"app.kubernetes.io/instance", "traefik-kube-system", "app.kubernetes.io/name", "traefik"});
        List<Cell> sv = new ServiceRender().row(traefik, snap(List.of(), List.of(tp), List.of(traefik), Map.of()), NOW);
        assertThat(texts(sv)).containsExactly("kube-system", "traefik", "LoadBalancer", "1/1", "Healthy");

        EventRow e = Decoders.event(fixture("event-warning.json"));
        List<Cell> ev = new EventRender().row(e, snap(List.of(), List.of(), List.of(), Map.of()), NOW);
        assertThat(ev.get(0).text()).isEqualTo("2m ago");
        assertThat(ev.get(1).tone()).as("Warning events are highlighted").isEqualTo(Tone.WARN);
        assertThat(ev.get(4).text()).endsWith("(x31)");
    }

    @Test
    @DisplayName("node details: conditions, capacity and allocatable, taints, labels and the pods on it (filtered client-side)")
    void nodeDetails() {
        NodeRow dgx = Decoders.node(fixture("node-k3s-agent-gpu-unknown.json"));
        PodRow crash = Decoders.pod(fixture("pod-crashloop.json"));
        PodRow other = Decoders.pod(fixture("pod-running.json"));
        String text = String.join("\n", DetailRender.node(fixture("node-k3s-agent-gpu-unknown.json"),
                snap(List.of(dgx), List.of(crash, other), List.of(), Map.of()), NOW).stream()
                .map(l -> String.join("", texts(l))).toList());
        assertThat(text).contains("Conditions").contains("Ready").contains("NodeStatusUnknown")
                .contains("nvidia.com/gpu").contains("nvidia.com/gpu=true:NoSchedule").contains("gpu=true")
                .contains("Pods on dgx-spark (1)").contains("comfyui-5d8f9c7b44-r2n8k").doesNotContain("coredns");
    }

    @Test
    @DisplayName("Property 22: TUI node information completeness — every node is shown with role, status, CPU, memory and Tailscale IP")
    void property22() {
        Seeds.forAll("Property 22: TUI node information completeness", 100, rnd -> {
            int n = 1 + rnd.nextInt(12);
            List<NodeRow> nodes = new ArrayList<>();
            Map<String, NodeMetric> metrics = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String name = "node-" + i + "-" + Integer.toString(rnd.nextInt(1 << 20), 36);
                String status = List.of("Ready", "NotReady", "Unknown").get(rnd.nextInt(3));
                String ip = rnd.nextBoolean() ? "100.64." + rnd.nextInt(256) + "." + rnd.nextInt(256) : "192.168.1." + rnd.nextInt(256);
                nodes.add(new NodeRow(name, rnd.nextBoolean() ? "control-plane" : "worker", status, rnd.nextInt(5) == 0, ip,
                        "v1.31.4+k3s1", 1, 1, 1000L * (1 + rnd.nextInt(32)), (1L + rnd.nextInt(64)) << 30, rnd.nextInt(3),
                        rnd.nextBoolean(), rnd.nextBoolean(), ip, List.of()));
                if (rnd.nextBoolean()) {
                    metrics.put(name, new NodeMetric(name, rnd.nextInt(8000), (long) rnd.nextInt(1 << 30) * 4));
                }
            }
            ClusterSnapshot s = snap(nodes, List.of(), List.of(), metrics);
            Views.NodesView v = new Views.NodesView();
            v.update(s);
            Buffer b = Buffer.empty(new Rect(0, 0, 120, n + 3));
            v.render(b, new Rect(0, 0, 120, n + 3), true, s, NOW);
            List<String> rows = Dashboard.text(b);
            for (NodeRow node : nodes) {
                String row = rows.stream().filter(r -> r.contains(node.name() + " ")).findFirst()
                        .orElseThrow(() -> new AssertionError(node.name() + " not on screen"));
                assertThat(row).contains(node.role()).contains(node.status()).contains(node.internalIp());
                NodeMetric m = metrics.get(node.name());
                if (m == null || "Unknown".equals(node.status())) {
                    assertThat(row).contains("N/A");
                } else {
                    assertThat(row).contains(Math.round(100.0 * m.cpuMilli() / node.cpuMilli()) + "%").contains("/");
                }
            }
        });
    }

    @Test
    @DisplayName("Property 23: TUI service information completeness — every service with namespace, name, pod count and health")
    void property23() {
        Seeds.forAll("Property 23: TUI service information completeness", 100, rnd -> {
            int ns = 1 + rnd.nextInt(3);
            int n = 1 + rnd.nextInt(10);
            List<ServiceRow> svcs = new ArrayList<>();
            List<PodRow> pods = new ArrayList<>();
            Map<String, int[]> expected = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String namespace = "ns" + rnd.nextInt(ns);
                String app = "app" + i;
                svcs.add(new ServiceRow(namespace, "svc-" + i, rnd.nextBoolean() ? "ClusterIP" : "NodePort", "10.43.0." + i,
                        Map.of("app", app), List.of("80/TCP"), 1, null));
                int desired = rnd.nextInt(4);
                int ready = 0;
                for (int k = 0; k < desired; k++) {
                    boolean ok = rnd.nextBoolean();
                    ready += ok ? 1 : 0;
                    pods.add(new PodRow(namespace, app + "-" + k, ok ? 1 : 0, 1, ok ? "Running" : "CrashLoopBackOff", 0, "n", 1,
                            new String[] {"app", app}));
                }
                // a pod with the same label in another namespace never counts
                pods.add(new PodRow("elsewhere", app + "-x", 1, 1, "Running", 0, "n", 1, new String[] {"app", app}));
                expected.put("svc-" + i, new int[] {ready, desired});
            }
            ClusterSnapshot s = snap(List.of(), pods, svcs, Map.of());
            Views.ServicesView v = new Views.ServicesView();
            v.update(s);
            Buffer b = Buffer.empty(new Rect(0, 0, 100, n + 3));
            v.render(b, new Rect(0, 0, 100, n + 3), true, s, NOW);
            List<String> rows = Dashboard.text(b);
            for (ServiceRow sv : svcs) {
                String row = rows.stream().filter(r -> r.contains(" " + sv.name() + " ")).findFirst()
                        .orElseThrow(() -> new AssertionError(sv.name() + " not on screen"));
                int[] c = expected.get(sv.name());
                String health = c[1] == 0 ? "No pods" : c[0] == c[1] ? "Healthy" : c[0] == 0 ? "Down" : "Degraded";
                assertThat(row).contains(sv.namespace()).contains(c[0] + "/" + c[1]).contains(health);
            }
        });
    }

    @Test
    @DisplayName("column widths: fixed columns as asked, flex columns share the rest, columns that do not fit are dropped")
    void widths() {
        Random r = new Random(1);
        for (int i = 0; i < 100; i++) {
            int total = 20 + r.nextInt(200);
            int[] w = dev.kubani.tui.view.TableViewAccess.widths(new NodeRender().columns(), total);
            int used = 0;
            int shown = 0;
            for (int x : w) {
                if (x > 0) {
                    used += x;
                    shown++;
                }
            }
            assertThat(used + Math.max(0, shown - 1)).isLessThanOrEqualTo(total);
        }
    }
}
