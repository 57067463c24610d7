package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubani.ansible.AnsibleHome;
import dev.kubani.inventory.Inventory;
import dev.kubani.k0s.K0sctlConfig;
import dev.kubani.testutil.CliRunner;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * remove-node on an inventory with k8s_distribution: k0s. k0sctl is the test stand-in
 * {@link K0sctlStandIn} (a shell script named k0sctl that prints k0sctl-shaped output; it is
 * neither k0sctl nor K3s and reaches no host), and fabric8's mock API server (CRUD mode, on
 * 127.0.0.1) stands in for k0s's API server for the drain.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class RemoveNodeK0sTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    static final String INVENTORY = """
            # the k0s cluster at home
            all:
              vars:
                cluster_name: testk0s
                k8s_distribution: k0s   # k0sctl, not the K3s playbooks
                ansible_user: kubani
              children:
                control_plane:
                  hosts:
                    cp1:
                      tailscale_ip: 100.64.0.1
                workers:
                  hosts:
                    # the old laptop
                    w1:
                      tailscale_ip: 100.64.0.2   # wifi
                      node_labels:
                        gpu: "true"
                    w2:
                      tailscale_ip: 100.64.0.3
            """;

    /** The same cluster with three controllers. */
    static final String HA_INVENTORY = INVENTORY.replace("""
                    cp1:
                      tailscale_ip: 100.64.0.1
            """, """
                    cp1:
                      tailscale_ip: 100.64.0.1
                    cp2:
                      tailscale_ip: 100.64.0.4
                    cp3:
                      tailscale_ip: 100.64.0.5
            """);

    @TempDir
    Path tmp;
    AnsibleHome home;
    K0sctlStandIn k0sctl;
    CliRunner cli;
    Path inventory;

    @BeforeEach
    void setUp() throws Exception {
        home = new AnsibleHome(tmp);
        k0sctl = new K0sctlStandIn(tmp);
        inventory = home.write("inventory/k0s-hosts.yml", INVENTORY);
        Path kubeconfig = tmp.resolve("kube/config");
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: testk0s, cluster: {server: '%s'}}]
                users: [{name: testk0s, user: {token: t}}]
                contexts: [{name: testk0s, context: {cluster: testk0s, user: testk0s}}]
                current-context: testk0s
                """.formatted(client.getConfiguration().getMasterUrl()));
        cli = new CliRunner(tmp)
                .env("KUBANI_HOME", home.home.toString())
                .env("KUBANI_ARTIFACTS", home.artifacts.toString())
                .env("KUBECONFIG", kubeconfig.toString())
                .env("PATH", k0sctl.path());
        RemoveNodeScene.seed(client, ProvisionK0sTest::k0sNode, "kube-proxy");
    }

    CliRunner.Result run(String... args) {
        List<String> a = new ArrayList<>(List.of("--inventory", inventory.toString()));
        a.addAll(List.of(args));
        return cli.run(a.toArray(String[]::new));
    }

    /** The inventory text without the lines of {@code host}'s entry (key line and deeper-indented lines). */
    static String without(String text, String host) {
        List<String> out = new ArrayList<>();
        int indent = -1;
        for (String line : text.split("\n", -1)) {
            int ind = line.length() - line.stripLeading().length();
            if (indent >= 0 && !line.isBlank() && ind > indent) {
                continue;
            }
            indent = -1;
            if (line.strip().equals(host + ":")) {
                indent = ind;
                continue;
            }
            out.add(line);
        }
        return String.join("\n", out);
    }


    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> hosts(String k0sctlYaml) {
        Map<String, Object> doc = new Yaml().load(k0sctlYaml);
        return (List<Map<String, Object>>) ((Map<String, Object>) doc.get("spec")).get("hosts");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutReset(String k0sctlYaml) {
        Map<String, Object> doc = new Yaml().load(k0sctlYaml);
        for (Object h : (List<Object>) ((Map<String, Object>) doc.get("spec")).get("hosts")) {
            ((Map<String, Object>) h).remove("reset");
        }
        return doc;
    }

    static void assertNoSecrets(String text) {
        assertThat(text).doesNotContain(K0sctlStandIn.JOIN_TOKEN).doesNotContain("H4sI")
                .doesNotContain(K0sctlStandIn.PASSWORD);
    }

    @Test
    @DisplayName("k0s worker: our drain, then k0sctl apply with exactly that host reset: true (0600), then the inventory "
            + "without it and otherwise byte-identical; no traffic beyond 127.0.0.0/8")
    void removesWorker() throws Exception {
        String before = Files.readString(inventory);
        CliRunner.Result r;
        ConnectRecorder net = ConnectRecorder.install();
        try {
            r = cli.stdin("y\n").run("--inventory", inventory.toString(), "remove-node", "w1", "--drain-timeout", "5s");
        } finally {
            net.close();
        }
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("reset k0s on it (k0sctl apply with reset: true)");
        String out = r.out();
        assertThat(out).contains("==> Drain the node", "cordoned w1", "==> Remove and reset it with k0sctl apply (reset: true)",
                "PLAY k0sctl apply: testk0s (reset w1)", "w1: removed from the cluster, k0s reset on the host",
                "==> Remove it from the inventory", "removed w1");
        assertThat(out.indexOf("==> Drain the node")).isLessThan(out.indexOf("==> Remove and reset it"));
        // nothing done twice: no API delete and no K3s playbook; k0sctl did not drain again
        assertThat(out).doesNotContain("==> Delete the Node").doesNotContain("remove_node.yml").doesNotContain("K3s");
        assertThat(client.nodes().withName("w1").get()).as("only k0sctl deletes the Node").isNotNull();
        assertThat(client.nodes().withName("w1").get().getSpec().getUnschedulable()).isTrue();
        assertThat(out).contains("left in place: kube-system/kube-proxy-w1 (DaemonSet)");

        Path run = home.onlyRunDir();
        Path file = run.resolve("k0sctl.yaml");
        assertThat(Files.readAllLines(k0sctl.argsFile)).containsExactly("apply --config " + file + " --no-drain");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(run.resolve("stdout"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String applied = Files.readString(k0sctl.configCopy);
        assertThat(hosts(applied)).extracting(h -> h.get("hostname")).containsExactly("cp1", "w1", "w2");
        assertThat(hosts(applied)).filteredOn(h -> Boolean.TRUE.equals(h.get("reset"))).extracting(h -> h.get("hostname"))
                .containsExactly("w1");
        assertThat(hosts(applied)).filteredOn(h -> h.containsKey("reset")).hasSize(1);
        // the others are kept exactly as provision renders them
        Path orig = home.write("orig/hosts.yml", before);
        assertThat(withoutReset(applied)).isEqualTo(K0sctlConfig.forInventory(Inventory.load(orig)));

        String after = Files.readString(inventory);
        assertThat(after).isEqualTo(without(before, "w1")).contains("# the old laptop").doesNotContain("w1");
        try (Stream<Path> b = Files.list(inventory.getParent().resolve(".backups"))) {
            assertThat(b.map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).contains(before);
        }
        String log = Files.readString(run.resolve("stdout"));
        assertThat(log).contains("==> Running phase: Reset workers").contains("token=(hidden)");
        assertNoSecrets(log + out + r.err());

        assertThat(net.targets()).as("the drain talked to the mock API server").isNotEmpty();
        assertThat(net.beyondLoopback()).as("connections beyond 127.0.0.0/8").isEmpty();
    }

    @Test
    @DisplayName("k0s controller: a quorum warning for the even count left, Reset controllers, k0sctl's etcd warning shown")
    void removesController() throws Exception {
        Files.writeString(inventory, HA_INVENTORY);
        client.nodes().resource(ProvisionK0sTest.k0sNode("cp2", true, "100.64.0.4", "True")).create();
        String before = Files.readString(inventory);
        CliRunner.Result r = cli.env("STANDIN_WARN", "1").run("--inventory", inventory.toString(), "-o", "json",
                "remove-node", "cp2", "--force");
        assertThat(r.code()).as(r.toString()).isZero();
        List<JsonNode> lines = r.jsonLines();
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.path("event").asText()).isEqualTo("warning");
            assertThat(n.path("msg").asText()).contains("after cp2 leaves, 2 control-plane nodes remain: etcd needs a majority");
        });
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.path("event").asText()).isEqualTo("warning");
            assertThat(n.path("msg").asText()).isEqualTo("k0sctl on cp2: failed to leave etcd: context deadline exceeded");
        });
        assertThat(lines).anySatisfy(n -> assertThat(n.path("task").asText()).isEqualTo("Reset controllers"));
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.path("event").asText()).isEqualTo("removed");
        assertThat(last.path("distribution").asText()).isEqualTo("k0s");
        assertThat(last.path("k0sctlExit").asInt()).isZero();
        assertThat(last.path("nodeDeleted").asBoolean()).isTrue();
        assertThat(last.path("k0sctlConfig").asText()).endsWith("k0sctl.yaml");
        String applied = Files.readString(k0sctl.configCopy);
        assertThat(hosts(applied)).filteredOn(h -> Boolean.TRUE.equals(h.get("reset"))).singleElement()
                .satisfies(h -> {
                    assertThat(h.get("hostname")).isEqualTo("cp2");
                    assertThat(h.get("role")).isEqualTo("controller+worker");
                });
        assertThat(Files.readString(inventory)).isEqualTo(without(before, "cp2")).contains("cp1:", "cp3:");
    }

    @Test
    @DisplayName("k0s: a failed reset names host and phase, exits 1 and leaves the inventory untouched; --force removes it")
    void failureKeepsInventory() throws Exception {
        String before = Files.readString(inventory);
        CliRunner.Result r = cli.env("STANDIN_MODE", "resetfail").stdin("y\n")
                .run("--inventory", inventory.toString(), "remove-node", "w1", "--no-drain");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("==> Drain the node").doesNotContain("==> Remove it from the inventory");
        assertThat(r.out()).contains("w1: failed at step 'Reset workers': failed to run k0s reset")
                .contains("so running remove-node again is safe");
        String err = r.err().strip();
        assertThat(err.substring(err.indexOf('\n') + 1).lines()).as(err).hasSize(1);
        assertThat(err).contains("k0sctl apply failed in phase 'Reset workers' on w1 (100.64.0.2): failed to run k0s reset")
                .contains("the inventory was not changed").contains("log: " + home.onlyRunDir().resolve("stdout"));
        assertThat(Files.readString(inventory)).isEqualTo(before);
        assertThat(inventory.getParent().resolve(".backups")).doesNotExist();
        assertNoSecrets(r.out() + r.err());

        CliRunner.Result f = cli.env("STANDIN_MODE", "resetfail").run("--inventory", inventory.toString(), "remove-node",
                "w1", "--no-drain", "--force");
        assertThat(f.code()).as(f.toString()).isZero();
        assertThat(f.out()).contains("warning: --force: k0sctl apply failed in phase 'Reset workers' on w1")
                .contains("kubectl delete node w1").contains("removed w1 (with --force");
        assertThat(Files.readString(inventory)).isEqualTo(without(before, "w1"));
    }

    @Test
    @DisplayName("k0s: the only control-plane node is refused (exit 2, one line) even with --force; nothing runs")
    void onlyControllerRefused() throws Exception {
        String before = Files.readString(inventory);
        for (String[] args : List.of(new String[] {"remove-node", "cp1"}, new String[] {"remove-node", "cp1", "--force"})) {
            CliRunner.Result r = run(args);
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("cp1 is the only control-plane node").contains("add another control-plane node first");
            assertThat(r.out()).doesNotContain("==>");
        }
        assertThat(Files.readString(inventory)).isEqualTo(before);
        assertThat(k0sctl.argsFile).doesNotExist();
        assertThat(home.artifacts).doesNotExist();
        assertThat(client.nodes().withName("cp1").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    @DisplayName("k0s: a drain blocked by a PodDisruptionBudget stops before k0sctl (exit 1, inventory untouched); "
            + "a missing k0sctl is exit 3 before anything")
    void blockedDrainAndMissingK0sctl() throws Exception {
        client.pods().inNamespace("db").resource(new PodBuilder().withNewMetadata().withName("postgres-0")
                .withNamespace("db").withUid("pg0").addToLabels("app", "postgres").addNewOwnerReference()
                .withKind("StatefulSet").withName("postgres").withApiVersion("apps/v1").withUid("ss").withController(true)
                .endOwnerReference().endMetadata().withNewSpec().withNodeName("w2").endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
        client.policy().v1().podDisruptionBudget().inNamespace("db").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("postgres-pdb").withNamespace("db").endMetadata().withNewSpec()
                .withMinAvailable(new IntOrString(1)).withNewSelector().addToMatchLabels("app", "postgres").endSelector()
                .endSpec().build()).create();
        // The CRUD mock does not enforce budgets: answer the eviction as the API server would.
        server.expect().post().withPath("/api/v1/namespaces/db/pods/postgres-0/eviction")
                .andReturn(429, new StatusBuilder().withStatus("Failure").withCode(429).withReason("TooManyRequests")
                        .withMessage("Cannot evict pod as it would violate the pod's disruption budget.").build())
                .always();
        String before = Files.readString(inventory);
        CliRunner.Result r = cli.stdin("y\n").run("--inventory", inventory.toString(), "remove-node", "w2",
                "--drain-timeout", "1s");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("blocked by PodDisruptionBudget db/postgres-pdb").doesNotContain("==> Remove and reset");
        assertThat(r.err()).contains("the inventory was not changed").contains("kubectl uncordon w2");
        assertThat(k0sctl.argsFile).doesNotExist();
        assertThat(Files.readString(inventory)).isEqualTo(before);

        CliRunner.Result missing = cli.env("PATH", "/usr/bin:/bin").run("--inventory", inventory.toString(), "remove-node",
                "w1", "--force");
        assertThat(missing.code()).as(missing.toString()).isEqualTo(3);
        assertThat(missing.err().strip().lines()).hasSize(1);
        assertThat(missing.err()).contains("k0sctl is not installed").contains("k0sproject/k0sctl releases");
        assertThat(Files.readString(inventory)).isEqualTo(before);
        assertThat(client.nodes().withName("w1").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    @DisplayName("k0s: Ctrl-C stops k0sctl during the reset (SIGINT), says what may be half done, exit 130, inventory kept")
    void ctrlCStopsReset() throws Exception {
        String before = Files.readString(inventory);
        java.io.StringWriter buf = new java.io.StringWriter();
        java.io.PrintWriter w = new java.io.PrintWriter(buf, true);
        Cancellation cancel = new Cancellation();
        PhaseContext ctx = new PhaseContext(new Console(new dev.kubani.cli.Term(w, w, false, false), Console.Mode.PLAIN, w,
                0, 100), false, cancel);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", k0sctl.path());
        env.put("STANDIN_MODE", "slow");
        env.put("KUBANI_ARTIFACTS", home.artifacts.toString());
        Inventory inv = Inventory.load(inventory);
        NodeRemoval removal = new NodeRemoval("w1", "testk0s", home.home, inventory, env, false, false,
                Duration.ofSeconds(5), 0).k0s(inv, k0sctl.bin.resolve("k0sctl"), K0sctlConfig.forRemoval(inv, "w1", true));
        ctx.put(NodeRemoval.class, removal);
        CompletableFuture<Exception> done = CompletableFuture.supplyAsync(() -> {
            try {
                new PhaseManager().add(new DrainNodePhase()).add(new K0sctlResetNodePhase())
                        .add(new RemoveFromInventoryPhase()).run(ctx);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!home.logHas("[ssh] 100.64.0.2:22: draining skipped")) {
            assertThat(System.nanoTime()).as(buf.toString()).isLessThan(deadline);
            Thread.sleep(20);
        }
        cancel.request();
        Exception e = done.get(20, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(Cancelled.class);
        assertThat(((Cancelled) e).exitCode()).isEqualTo(130);
        assertThat(e.getMessage()).contains("k0sctl was stopped during 'Reset workers'").contains("w1 may be half reset")
                .contains("the inventory was not changed");
        assertThat(buf.toString()).contains("k0sctl was stopped during phase 'Reset workers'.")
                .contains("possibly half-configured: w1").contains("run the same remove-node again to finish")
                .doesNotContain("==> Remove it from the inventory");
        assertThat(Files.readString(home.onlyRunDir().resolve("stdout"))).contains("Running clean-up for phase: Reset workers");
        assertThat(Files.readString(inventory)).isEqualTo(before);
    }

}
