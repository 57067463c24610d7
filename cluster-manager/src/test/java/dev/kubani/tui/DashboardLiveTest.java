package dev.kubani.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.kube.ClusterCache;
import dev.kubani.kube.KubeApi;
import dev.kubani.kube.KubeConnect;
import dev.kubani.kube.MockCluster;
import dev.kubani.tui.dao.LiveSource;
import dev.tamboui.buffer.Buffer;
import dev.tamboui.style.Color;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole dashboard, driven on TamboUI's TestBackend, against fabric8's mock API server in
 * CRUD mode (standing in for a K3s API server; no real one runs in tests). The server is
 * stopped and restarted on the same port with the same store to check stale marking and recovery.
 */
class DashboardLiveTest {
    @TempDir
    Path dir;
    KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
    KubernetesMockServer server;
    KubernetesClient admin;
    TuiHarness h;

    private KubernetesMockServer serve(int port) {
        KubernetesMockServer s = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), store, true);
        if (port == 0) {
            s.init();
        } else {
            s.init(java.net.InetAddress.getLoopbackAddress(), port);
        }
        return s;
    }

    @AfterEach
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    @DisplayName("Property 24: TUI state synchronization — a new node appears, NotReady turns it red, a stopped server "
            + "shows STALE, a restarted one recovers, all within the refresh interval")
    void liveUpdatesStaleAndRecovery() throws Exception {
        server = serve(0);
        admin = server.createClient();
        admin.nodes().resource(MockCluster.k3sNode("nuc", "100.64.0.1", true, "True")).create();
        admin.pods().inNamespace("default").resource(MockCluster.pod("default", "web-1", "nuc", "web", true, 0)).create();
        admin.services().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
                .withName("web").withNamespace("default").endMetadata().withNewSpec().addToSelector("app", "web")
                .addNewPort().withPort(80).withProtocol("TCP").endPort().endSpec().build()).create();
        admin.v1().events().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata()
                .withName("web-1.1").withNamespace("default").endMetadata().withType("Warning").withReason("BackOff")
                .withMessage("Back-off restarting failed container").withNewInvolvedObject().withKind("Pod").withName("web-1")
                .endInvolvedObject().withLastTimestamp(java.time.Instant.now().toString()).build()).create();
        Path kc = MockCluster.kubeconfig(dir, admin, "homelab");
        KubeConnect.Target target = KubeConnect.target(java.util.Map.of("KUBECONFIG", kc.toString()), "homelab");
        KubernetesClient client = KubeConnect.client(target, Duration.ofSeconds(2));
        ClusterCache cache = new ClusterCache(new KubeApi(client, Duration.ofSeconds(2)), target, "homelab", 100, 500).start();
        long refreshMs = 1000;
        h = new TuiHarness(new LiveSource(cache), Duration.ofMillis(refreshMs), 120, 36);
        h.awaitText("● live");
        h.awaitText("nuc");
        assertThat(h.screen()).contains("Cluster homelab").contains("nodes 1/1 Ready").contains("pods 1/1 Running");
        assertThat(h.screen()).contains("Services (1)");
        h.awaitText("BackOff");
        assertThat(h.screen()).contains("Events (1)").contains("Pod/web-1");
        assertThat(h.screen().lines().filter(l -> l.contains("web ")).findFirst().orElse("")).contains("1/1").contains("Healthy");

        long t0 = System.currentTimeMillis();
        admin.nodes().resource(MockCluster.k3sNode("desktop", "100.64.0.2", false, "True")).create();
        h.awaitText("desktop");
        assertThat(System.currentTimeMillis() - t0).as("new node on screen within the refresh interval (+ slack)")
                .isLessThan(refreshMs + 1500);
        assertThat(statusColour("desktop")).isEqualTo(Optional.of(Color.GREEN));

        t0 = System.currentTimeMillis();
        Node d = admin.nodes().withName("desktop").get();
        d.getStatus().setConditions(List.of(new NodeConditionBuilder().withType("Ready").withStatus("False")
                .withReason("KubeletNotReady").build()));
        admin.nodes().resource(d).updateStatus();
        h.await("desktop NotReady in red", s -> statusColour("desktop").equals(Optional.of(Color.RED)), 8000);
        assertThat(h.screen()).contains("NotReady");
        assertThat(System.currentTimeMillis() - t0).isLessThan(refreshMs + 1500);

        int port = server.getPort();
        server.destroy();
        server = null;
        String stale = h.await("STALE", s -> s.contains("STALE"), 10_000);
        assertThat(stale).contains("desktop").contains("nuc").contains("cannot reach the Kubernetes API")
                .doesNotContain("Exception").doesNotContain("\tat ");

        server = serve(port);
        h.await("recovered", s -> s.contains("● live") && !s.contains("STALE"), 15_000);
        admin.nodes().resource(MockCluster.k3sNode("dgx-spark", "100.64.0.3", false, "True")).create();
        h.awaitText("dgx-spark");
    }

    /** The foreground colour of the STATUS cell in the row of {@code node}. */
    private Optional<Color> statusColour(String node) {
        Buffer b = h.dashboard.lastFrame();
        if (b == null) {
            return Optional.empty();
        }
        List<String> rows = Dashboard.text(b);
        int header = -1;
        for (int y = 0; y < rows.size(); y++) {
            if (rows.get(y).contains("NAME") && rows.get(y).contains("STATUS") && rows.get(y).contains("TAILSCALE IP")) {
                header = y;
                break;
            }
        }
        if (header < 0) {
            return Optional.empty();
        }
        int col = rows.get(header).indexOf("STATUS");
        for (int y = header + 1; y < rows.size(); y++) {
            if (rows.get(y).contains("┃" + node + " ")) {
                return b.get(col, y).style().fg();
            }
        }
        return Optional.empty();
    }
}
