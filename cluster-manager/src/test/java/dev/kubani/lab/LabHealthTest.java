package dev.kubani.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.CliRunner;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'cluster-mgr lab health' against fabric8's mock API server in CRUD mode, which stands in for
 * the k0s API server of the lab (no VM and no k0s can run here). It is seeded with the objects
 * k0s would have: Nodes (Ready or NotReady), the k0s-ctrl-NAME controller leases and
 * kube-system pods. The exported kubeconfig points at the mock server.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class LabHealthTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;
    Path lab;

    @BeforeEach
    void kubeconfig() throws IOException {
        lab = dir.resolve("lab");
        Files.createDirectories(lab);
        Files.writeString(lab.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: k0s-lab
                  cluster:
                    server: %s
                users:
                - name: k0s-lab
                  user:
                    token: lab-admin-token
                contexts:
                - name: k0s-lab
                  context:
                    cluster: k0s-lab
                    user: k0s-lab
                current-context: k0s-lab
                """.formatted(client.getMasterUrl().toString()));
    }

    void node(String name, boolean ready) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withReason(ready ? "KubeletReady" : "KubeletNotReady")
                .withMessage(ready ? "kubelet is posting ready status" : "container runtime network not ready").endCondition()
                .endStatus().build()).create();
    }

    void lease(String controller, ZonedDateTime renewed) {
        client.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder().withNewMetadata()
                .withName("k0s-ctrl-" + controller).withNamespace("kube-node-lease").endMetadata().withNewSpec()
                .withHolderIdentity("id-" + controller).withLeaseDurationSeconds(60).withRenewTime(renewed).endSpec().build())
                .create();
    }

    void pod(String name, String phase) {
        client.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace("kube-system").endMetadata().withNewStatus().withPhase(phase).endStatus().build()).create();
    }

    CliRunner.Result health(String... more) {
        String[] base = {"lab", "health", "--lab-dir", lab.toString(), "--provider", "libvirt", "--control-planes", "3",
            "--workers", "2"};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return new CliRunner(dir).run(args);
    }

    void healthyCluster() {
        // 3+2 HA plan: control-plane-1 runs workloads (a Node), 2 and 3 are plain controllers (leases only)
        node("control-plane-1", true);
        node("worker-1", true);
        node("worker-2", true);
        ZonedDateTime now = ZonedDateTime.now();
        lease("control-plane-1", now);
        lease("control-plane-2", now);
        lease("control-plane-3", now);
        pod("coredns-1", "Running");
        pod("kube-router-abc", "Running");
        pod("konnectivity-agent-x", "Running");
    }

    @Test
    @DisplayName("all planned nodes Ready, controllers holding leases, kube-system running: pass, exit 0")
    void healthy() {
        healthyCluster();
        CliRunner.Result r = health();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("API answers\\s+pass\\s+Kubernetes \\S+ at " + java.util.regex.Pattern.quote(
                client.getMasterUrl().toString())).containsPattern("node worker-2\\s+pass\\s+Ready")
                .containsPattern("controller control-plane-3\\s+pass").containsPattern("kube-system pods\\s+pass\\s+3 running")
                .contains("lab healthy: 8 checks passed");
        assertThat(r.out() + r.err()).doesNotContain("lab-admin-token");
    }

    @Test
    @DisplayName("a NotReady worker, a missing worker, a dead controller and a pending pod: each FAIL, exit 1")
    void unhealthy() {
        node("control-plane-1", true);
        node("worker-1", false);
        ZonedDateTime now = ZonedDateTime.now();
        lease("control-plane-1", now);
        lease("control-plane-2", now.minusMinutes(10));
        pod("coredns-1", "Pending");
        pod("kube-router-abc", "Running");
        CliRunner.Result r = health();
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).containsPattern("node control-plane-1\\s+pass")
                .containsPattern("node worker-1\\s+FAIL\\s+NotReady \\(KubeletNotReady\\): container runtime network not ready")
                .containsPattern("node worker-2\\s+FAIL\\s+not registered")
                .containsPattern("controller control-plane-2\\s+FAIL\\s+controller lease expired")
                .containsPattern("controller control-plane-3\\s+FAIL\\s+holds no controller lease")
                .containsPattern("kube-system pods\\s+FAIL\\s+1 of 2 not running: coredns-1 \\(Pending\\)");
        assertThat(r.err()).contains("lab unhealthy: 5 of 8 checks failed").contains("partial lab counts as a failed lab");
    }

    @Test
    @DisplayName("--output json gives the checks; an unreachable API fails the first check with exit 1")
    void jsonAndUnreachable() throws IOException {
        healthyCluster();
        CliRunner.Result r = health("-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"healthy\" : true").contains("\"result\" : \"pass\"");
        Files.writeString(lab.resolve("kubeconfig"), Files.readString(lab.resolve("kubeconfig"))
                .replace(client.getMasterUrl().toString(), "http://127.0.0.1:9/"));
        r = health("--timeout", "2");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).containsPattern("API answers\\s+FAIL\\s+no answer from http://127.0.0.1:9/");
        Files.delete(lab.resolve("kubeconfig"));
        r = health();
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("cluster-mgr lab kubeconfig");
    }
}
