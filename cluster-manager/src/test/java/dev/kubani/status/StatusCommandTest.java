package dev.kubani.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubani.kube.MockCluster;
import dev.kubani.testutil.CliRunner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster-mgr status} against fabric8's mock API server in CRUD mode, standing in for a
 * K3s API server (no real kube-apiserver runs in tests), seeded with K3s-shaped nodes, pods and
 * NodeMetrics.
 */
@EnableKubernetesMockClient(crud = true)
class StatusCommandTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;
    Path inventory;
    CliRunner cli;

    @BeforeEach
    void seed() throws Exception {
        client.nodes().resource(MockCluster.k3sNode("nuc", "100.64.0.1", true, "True")).create();
        client.nodes().resource(MockCluster.k3sNode("desktop", "192.168.1.20", false, "False")).create();
        client.nodes().resource(MockCluster.k3sNode("old-nas", "100.64.0.30", false, "Unknown")).create();
        client.pods().inNamespace("kube-system").resource(MockCluster.pod("kube-system", "coredns-abc", "nuc", "coredns", true, 0))
                .create();
        client.pods().inNamespace("default").resource(MockCluster.pod("default", "nginx-1", "desktop", "nginx", false, 4)).create();
        client.resource(MockCluster.metrics("nuc", "2", "4Gi")).create();
        inventory = dir.resolve("inventory/hosts.yml");
        Files.createDirectories(inventory.getParent());
        Files.writeString(inventory, """
                all:
                  vars:
                    cluster_name: homelab
                  children:
                    control_plane:
                      hosts:
                        nuc:
                          ansible_host: 100.64.0.1
                          tailscale_ip: 100.64.0.1
                    workers:
                      hosts:
                        desktop:
                          ansible_host: 100.64.0.2
                          tailscale_ip: 100.64.0.2
                        rpi-kitchen:
                          ansible_host: 100.64.0.14
                          tailscale_ip: 100.64.0.14
                """);
        Path kc = MockCluster.kubeconfig(dir.resolve("kube"), client, "homelab");
        cli = new CliRunner(dir).env("KUBECONFIG", kc.toString());
    }

    @Test
    @DisplayName("nodes with role, Ready/NotReady/Unknown, metrics or N/A, flagged IPs, drift both ways, Flux not installed")
    void nodesDriftAndFlux() {
        CliRunner.Result r = cli.run("status", "--inventory", inventory.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        String out = r.out();
        assertThat(out).contains("Cluster homelab").contains("context homelab").contains("1/3 nodes Ready");
        assertThat(line(out, "nuc ")).contains("control-plane").contains("Ready").contains("50%").contains("4.0Gi/8.0Gi")
                .contains("100.64.0.1").contains("v1.31.4+k3s1").contains("ago");
        assertThat(line(out, "desktop ")).contains("worker").contains("NotReady").contains("N/A").contains("192.168.1.20 (!)");
        assertThat(line(out, "old-nas ")).contains("Unknown").contains("N/A");
        assertThat(out).contains("desktop: InternalIP 192.168.1.20 — outside the tailnet ranges");
        assertThat(out).contains("rpi-kitchen: in the inventory, not in the cluster");
        assertThat(out).contains("old-nas: in the cluster, not in the inventory");
        assertThat(out).contains("Flux: not installed");
        assertThat(out).doesNotContain("NAMESPACE");
    }

    @Test
    @DisplayName("an InternalIP inside the tailnet but not the inventory's Tailscale IP is flagged")
    void ipDiffersFromInventory() throws Exception {
        Files.writeString(inventory, Files.readString(inventory).replace("tailscale_ip: 100.64.0.1", "tailscale_ip: 100.64.0.9"));
        CliRunner.Result r = cli.run("status", "--inventory", inventory.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("nuc: InternalIP 100.64.0.1 — inventory has 100.64.0.9");
    }

    @Test
    @DisplayName("--pods lists pods by namespace with ready, status, restarts and node; --namespace filters them")
    void pods() {
        CliRunner.Result r = cli.run("status", "--pods", "--inventory", inventory.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("NAMESPACE");
        assertThat(line(r.out(), "coredns-abc")).startsWith("kube-system").contains("1/1").contains("Running").contains("nuc");
        assertThat(line(r.out(), "nginx-1")).startsWith("default").contains("0/1").contains(" 4 ").contains("desktop");
        assertThat(r.out().indexOf("nginx-1")).isLessThan(r.out().indexOf("coredns-abc"));

        CliRunner.Result ns = cli.run("status", "--pods", "--namespace", "kube-system", "--inventory", inventory.toString());
        assertThat(ns.code()).isZero();
        assertThat(ns.out()).contains("coredns-abc").doesNotContain("nginx-1");
    }

    @Test
    @DisplayName("--output json carries the same data for scripts")
    void json() throws Exception {
        CliRunner.Result r = cli.run("status", "--pods", "-o", "json", "--inventory", inventory.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.path("cluster").asText()).isEqualTo("homelab");
        assertThat(j.path("nodes")).hasSize(3);
        JsonNode nuc = j.path("nodes").get(2).path("name").asText().equals("nuc") ? j.path("nodes").get(2) : j.path("nodes").get(1);
        assertThat(nuc.path("name").asText()).isEqualTo("nuc");
        assertThat(nuc.path("cpuPercent").asInt()).isEqualTo(50);
        assertThat(j.path("drift").path("notInCluster").get(0).asText()).isEqualTo("rpi-kitchen");
        assertThat(j.path("drift").path("notInInventory").get(0).asText()).isEqualTo("old-nas");
        assertThat(j.path("flux").path("installed").asBoolean()).isFalse();
        assertThat(j.path("pods")).hasSize(2);

        CliRunner.Result y = cli.run("status", "-o", "yaml", "--inventory", inventory.toString());
        assertThat(y.code()).isZero();
        assertThat(y.out()).contains("cluster: homelab").contains("notInInventory:");
    }

    @Test
    @DisplayName("Flux: readiness and last applied revision of each Kustomization once its CRD exists")
    void fluxInstalled() {
        CustomResourceDefinitionContext ctx = new CustomResourceDefinitionContext.Builder().withGroup("kustomize.toolkit.fluxcd.io")
                .withVersion("v1").withKind("Kustomization").withPlural("kustomizations").withScope("Namespaced").build();
        server.expectCustomResource(ctx);
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("kustomizations.kustomize.toolkit.fluxcd.io").endMetadata()
                .withNewSpec().withGroup("kustomize.toolkit.fluxcd.io").withScope("Namespaced")
                .withNewNames().withKind("Kustomization").withPlural("kustomizations").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build()).create();
        GenericKubernetesResource k = new GenericKubernetesResourceBuilder().withApiVersion("kustomize.toolkit.fluxcd.io/v1")
                .withKind("Kustomization").withNewMetadata().withName("apps").withNamespace("flux-system").endMetadata()
                .addToAdditionalProperties("status", Map.of("lastAppliedRevision", "main@sha1:abc123",
                        "conditions", List.of(Map.of("type", "Ready", "status", "True", "message", "Applied revision: main@sha1:abc123"))))
                .build();
        client.genericKubernetesResources(ctx).inNamespace("flux-system").resource(k).create();
        CliRunner.Result r = cli.run("status", "--inventory", inventory.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(line(r.out(), "Kustomization")).contains("flux-system").contains("apps").contains("True").contains("main@sha1:abc123");
    }

    @Test
    @DisplayName("an unreachable API server: one line with the server URL and the fix, exit 3, well within the timeout")
    void unreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path kc = dir.resolve("dead-kubeconfig");
        Files.writeString(kc, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:" + port
                + "\n    insecure-skip-tls-verify: true\ncontexts:\n- name: homelab\n  context:\n    cluster: c\n    user: u\n"
                + "current-context: homelab\nusers:\n- name: u\n  user:\n    token: secret-token-value\n");
        long t0 = System.nanoTime();
        CliRunner.Result r = new CliRunner(dir).env("KUBECONFIG", kc.toString()).run("status", "--inventory", inventory.toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("https://127.0.0.1:" + port).contains("connection refused").contains("tailscale status")
                .doesNotContain("secret-token-value").doesNotContain("Exception");
        assertThat(ms).isLessThan(5000);
    }

    @Test
    @DisplayName("no kubeconfig: exit 3 and where to get one")
    void noKubeconfig() {
        CliRunner.Result r = new CliRunner(dir).env("KUBECONFIG", dir.resolve("nope").toString())
                .run("status", "--inventory", inventory.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("no kubeconfig at").contains("cluster-mgr provision");
    }

    @Test
    @DisplayName("bad flags: exit 2 with one line naming the flag")
    void badInput() {
        CliRunner.Result r = cli.run("status", "--namespace", "Bad_NS", "--inventory", inventory.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--namespace 'Bad_NS'");
        CliRunner.Result t = cli.run("status", "--timeout", "0", "--inventory", inventory.toString());
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.err()).contains("--timeout");
        CliRunner.Result missing = cli.run("status", "--inventory", dir.resolve("missing.yml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("missing.yml");
    }

    @Test
    @DisplayName("--demo shows the built-in sample cluster, labelled as sample data, with drift against the inventory")
    void demo() {
        CliRunner.Result r = cli.run("status", "--demo", "--inventory", inventory.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("SAMPLE DATA").contains("dgx-spark").contains("rpi-kitchen: in the inventory, not in the cluster")
                .contains("old-nas: in the cluster, not in the inventory").contains("Kustomization");
    }

    @Test
    @DisplayName("cluster-mgr demo ends with status on the SAMPLE cluster (and, off a terminal, opens no dashboard)")
    void demoCommand() {
        CliRunner.Result r = cli.run("demo");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("$ cluster-mgr status --demo").contains("SAMPLE DATA")
                .contains("rpi-kitchen: in the inventory, not in the cluster").doesNotContain("cluster-tui --demo");
    }

    private static String line(String out, String containing) {
        return out.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + out));
    }
}
