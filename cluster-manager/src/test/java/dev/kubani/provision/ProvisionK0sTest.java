package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubani.ansible.AnsibleHome;
import dev.kubani.testutil.CliRunner;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cluster-mgr provision on an inventory with k8s_distribution: k0s: the same phases as K3s with
 * k0sctl apply in place of the playbook. k0sctl is a test stand-in ({@link K0sctlStandIn}, a
 * shell script that prints k0sctl-shaped output), the tailnet a saved tailscale status, and
 * fabric8's mock API server (CRUD mode, on 127.0.0.1) stands in for k0s's API server.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ProvisionK0sTest {
    static KubernetesClient client;

    static final String INVENTORY = """
            all:
              vars:
                cluster_name: testk0s
                k8s_distribution: k0s
                ansible_user: kubani
              children:
                control_plane:
                  hosts:
                    cp1:
                      tailscale_ip: 100.64.0.1
                workers:
                  hosts:
                    w1:
                      tailscale_ip: 100.64.0.2
                      node_labels:
                        gpu: "true"
                    w2:
                      tailscale_ip: 100.64.0.3
            """;

    @TempDir
    Path tmp;
    AnsibleHome home;
    K0sctlStandIn k0sctl;
    CliRunner cli;
    Path kubeconfig;
    Path inventory;

    @BeforeEach
    void setUp() throws Exception {
        home = new AnsibleHome(tmp);
        k0sctl = new K0sctlStandIn(tmp);
        inventory = home.write("inventory/k0s-hosts.yml", INVENTORY);
        kubeconfig = tmp.resolve("kube/config");
        cli = new CliRunner(tmp)
                .env("KUBANI_HOME", home.home.toString())
                .env("KUBANI_ARTIFACTS", home.artifacts.toString())
                .env("KUBECONFIG", kubeconfig.toString())
                .env("KUBANI_READY_POLL_MS", "50")
                .env("PATH", k0sctl.path())
                .env("STANDIN_API", client.getConfiguration().getMasterUrl());
        client.nodes().delete();
    }

    String[] args(String... rest) {
        List<String> a = new ArrayList<>(List.of("--inventory", inventory.toString()));
        a.addAll(List.of(rest));
        a.addAll(List.of("--status-file", home.ansible.resolve("inventory/tailnet.json").toString()));
        return a.toArray(String[]::new);
    }

    /** k0s-shaped Node objects (k0s registers each host under the hostname k0sctl.yaml gives it). */
    static Node k0sNode(String name, boolean controller, String ip, String ready) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).endMetadata().withNewSpec().endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.31.3+k0s").endNodeInfo()
                .addNewCondition().withType("Ready").withStatus(ready).withReason("True".equals(ready) ? "KubeletReady"
                        : "KubeletNotReady").withMessage("x").endCondition().endStatus();
        if (controller) {
            b.editMetadata().addToLabels("node-role.kubernetes.io/control-plane", "true").endMetadata();
        }
        return b.build();
    }

    void nodes(String w2Ready) {
        client.nodes().resource(k0sNode("cp1", true, "100.64.0.1", "True")).create();
        client.nodes().resource(k0sNode("w1", false, "100.64.0.2", "True")).create();
        client.nodes().resource(k0sNode("w2", false, "100.64.0.3", w2Ready)).create();
    }


    static void assertNoSecrets(String text) {
        assertThat(text).doesNotContain(K0sctlStandIn.JOIN_TOKEN).doesNotContain("H4sI")
                .doesNotContain(K0sctlStandIn.PASSWORD).doesNotContain(K0sctlStandIn.KUBECONFIG_TOKEN);
    }

    @Test
    @DisplayName("k0s: validate, tailnet check, k0sctl apply on the rendered file, kubeconfig merged (0600, no switch), Ready, summary")
    void endToEnd() throws Exception {
        nodes("True");
        AnsibleHome.writeWorkKubeconfig(kubeconfig);
        CliRunner.Result r = cli.run(args("provision"));
        assertThat(r.code()).as(r.toString()).isZero();
        String out = r.out();
        assertThat(out).contains("==> Validate the inventory", "==> Check the tailnet", "==> Run k0sctl apply",
                "==> Merge the kubeconfig", "==> Wait for the nodes to be Ready", "==> Summary");
        assertThat(out).doesNotContain("ansible-playbook");
        assertThat(out.indexOf("==> Check the tailnet")).isLessThan(out.indexOf("==> Run k0sctl apply"));
        assertThat(out.indexOf("✓ w2 100.64.0.3 online")).isLessThan(out.indexOf("==> Run k0sctl apply"));

        // k0sctl got the file rendered from the inventory, in the run directory, private
        Path run = home.onlyRunDir();
        Path file = run.resolve("k0sctl.yaml");
        List<String> calls = Files.readAllLines(k0sctl.argsFile);
        assertThat(calls.get(0)).isEqualTo("apply --config " + file);
        assertThat(calls.get(1)).isEqualTo("kubeconfig --config " + file);
        String applied = Files.readString(k0sctl.configCopy);
        assertThat(applied).contains("apiVersion: k0sctl.k0sproject.io/v1beta1").contains("address: 100.64.0.1")
                .contains("address: 100.64.0.3").contains("privateAddress: 100.64.0.2").contains("privateInterface: tailscale0")
                .contains("user: kubani").contains("--labels=gpu=true");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(run)).isEqualTo(PosixFilePermissions.fromString("rwx------"));

        // progress: k0sctl's phases on the same display as a playbook run
        assertThat(out).contains("PLAY k0sctl apply: testk0s");
        assertThat(out).contains("changed      cp1  Install k0s binaries on hosts")
                .contains("changed      cp1  Install controllers").contains("changed      w2  Install workers");
        assertThat(out).doesNotContain("changed      cp1  Connect to hosts");

        // the log holds every line, secrets masked
        String log = Files.readString(run.resolve("stdout"));
        assertThat(log).contains("==> Running phase: Install workers").contains("token=(hidden)").contains("password=(hidden)");
        assertNoSecrets(log);
        assertThat(Files.getPosixFilePermissions(run.resolve("stdout"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(run.resolve("command"))).contains("k0sctl apply --config " + file);

        // the kubeconfig: merged under cluster_name, current context kept, 0600, never printed
        assertThat(out).contains("context testk0s in " + kubeconfig).contains("the current context stays work");
        String kc = Files.readString(kubeconfig);
        assertThat(kc).contains("name: testk0s").contains("current-context: work").contains(K0sctlStandIn.KUBECONFIG_TOKEN)
                .contains("work-token").contains(client.getConfiguration().getMasterUrl());
        assertThat(Files.getPosixFilePermissions(kubeconfig)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(run.resolve("kubeconfig")).doesNotExist();

        assertThat(out).contains("✓ w2: Ready");
        assertThat(out).containsPattern("cp1 +control-plane +changed, Ready +2 ");
        assertThat(out).containsPattern("w1 +worker +changed, Ready +2 ");
        assertNoSecrets(out + r.err());
    }

    @Test
    @DisplayName("Property 10: provision on k0s fails (exit 1) when a node is not Ready within the timeout")
    void notReadyFails() throws Exception {
        nodes("False");
        CliRunner.Result r = cli.run(args("provision", "--ready-timeout", "1s"));
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("not Ready after 1 s: w2 (NotReady (KubeletNotReady")
                .contains("sudo journalctl -u k0scontroller -u k0sworker -n 100");
        assertThat(r.out()).contains("==> Summary").containsPattern("w2 +worker +changed, NotReady +2 ");
    }

    @Test
    @DisplayName("k0s: a failed host gives exit 1 and a report naming the host and the k0sctl phase; secrets stay hidden")
    void failureNamesHostAndStep() throws Exception {
        CliRunner.Result r = cli.env("STANDIN_MODE", "fail").run(args("provision"));
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED       w2  Install workers: failed to start k0sworker");
        assertThat(r.out()).contains("w2: failed at step 'Install workers': failed to start k0sworker: job for "
                + "k0sworker.service failed");
        assertThat(r.out()).contains("hint: read the run log").contains("sudo journalctl -u k0sworker -n 100");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("k0sctl apply failed in phase 'Install workers' on w2 (100.64.0.3): failed to start "
                + "k0sworker").contains("log: " + home.onlyRunDir().resolve("stdout"));
        assertThat(r.out()).doesNotContain("==> Merge the kubeconfig").doesNotContain("==> Wait for the nodes");
        assertThat(r.out()).contains("==> Summary").containsPattern("w2 +worker +failed +1 ").containsPattern("w1 +worker +changed +1 ");
        assertThat(kubeconfig).doesNotExist();
        assertNoSecrets(r.out() + r.err());
        assertNoSecrets(Files.readString(home.onlyRunDir().resolve("stdout")));
        assertThat(Files.readAllLines(k0sctl.argsFile)).hasSize(1);
    }

    @Test
    @DisplayName("k0s: a host k0sctl cannot reach is reported unreachable with the Tailscale/SSH hint")
    void unreachableHost() throws Exception {
        CliRunner.Result r = cli.env("STANDIN_MODE", "unreachable").run(args("provision"));
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("w1: unreachable during step 'Connect to hosts': dial tcp 100.64.0.2:22")
                .contains("tailscale ping 100.64.0.2").contains("ssh kubani@100.64.0.2");
        assertThat(r.err()).contains("k0sctl apply failed in phase 'Connect to hosts' on w1 (100.64.0.2)");
    }

    @Test
    @DisplayName("k0s: an offline node stops the run before k0sctl runs, naming the host")
    void offlineNodeStopsBeforeK0sctl() throws Exception {
        Path status = home.ansible.resolve("inventory/tailnet.json");
        Files.writeString(status, Files.readString(status).replace(
                "\"TailscaleIPs\": [\"100.64.0.3\"], \"Online\": true", "\"TailscaleIPs\": [\"100.64.0.3\"], \"Online\": false"));
        CliRunner.Result r = cli.run(args("provision"));
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).contains("✗ w2: offline").doesNotContain("==> Run k0sctl apply");
        assertThat(r.err()).contains("w2").contains("out of the inventory").doesNotContain("--limit '");
        assertThat(k0sctl.argsFile).doesNotExist();
        assertThat(home.artifacts).doesNotExist();
    }

    @Test
    @DisplayName("k0s: --check and plan run k0sctl apply --dry-run and show per host what would change; nothing merged")
    void dryRun() throws Exception {
        CliRunner.Result r = cli.run(args("provision", "--check"));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(Files.readAllLines(k0sctl.argsFile)).singleElement().asString().endsWith("k0sctl.yaml --dry-run");
        assertThat(r.out()).contains("w2: 2 changes").contains("~ install k0s v1.31.3+k0s.0")
                .contains("~ join as a worker with token=(hidden)").contains("cp1: no changes");
        assertThat(r.out()).containsPattern("w2 +worker +would change +2").containsPattern("cp1 +control-plane +no change +0");
        assertThat(r.out()).doesNotContain("==> Merge the kubeconfig");
        assertThat(kubeconfig).doesNotExist();
        assertNoSecrets(r.out());

        CliRunner.Result plan = cli.run(args("plan"));
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("--dry-run").contains("~ install k0s v1.31.3+k0s.0");
    }

    @Test
    @DisplayName("k0s: ansible-only flags are refused with one line (exit 2), a missing k0sctl with the install hint (exit 3)")
    void flagsAndMissingK0sctl() throws Exception {
        CliRunner.Result limit = cli.run(args("provision", "--limit", "w1", "--tags", "k3s"));
        assertThat(limit.code()).isEqualTo(2);
        assertThat(limit.err().strip().lines()).hasSize(1);
        assertThat(limit.err()).contains("--limit, --tags are for the K3s playbooks").contains("k8s_distribution: k0s");
        assertThat(limit.out()).doesNotContain("==> Summary").doesNotContain("==> Check the tailnet");
        CliRunner.Result pb = cli.run(args("provision", "--playbook", "ok.yml"));
        assertThat(pb.code()).isEqualTo(2);
        assertThat(pb.err()).contains("--playbook is for the K3s playbooks");
        CliRunner.Result ev = cli.run(args("provision", "-e", "k3s_version=v1"));
        assertThat(ev.code()).isEqualTo(2);
        assertThat(ev.err()).contains("--extra-vars is for the K3s playbooks");
        assertThat(k0sctl.argsFile).doesNotExist();

        CliRunner.Result missing = cli.env("PATH", "/usr/bin:/bin").run(args("provision"));
        assertThat(missing.code()).as(missing.toString()).isEqualTo(3);
        assertThat(missing.err().strip().lines()).hasSize(1);
        assertThat(missing.err()).contains("k0sctl is not installed").contains("k0sproject/k0sctl releases");
        assertThat(missing.out()).doesNotContain("==> Check the tailnet").doesNotContain("==> Summary");
        assertThat(missing.err()).doesNotContain("Exception");
    }

    @Test
    @DisplayName("k0s: -o json gives the phases as task events, a failure event with host and step, and the summary")
    void jsonLines() throws Exception {
        CliRunner.Result r = cli.env("STANDIN_MODE", "fail").run(args("-o", "json", "provision"));
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        List<JsonNode> lines = r.jsonLines();
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.path("event").asText()).isEqualTo("task_start");
            assertThat(n.path("task").asText()).isEqualTo("Install workers");
        });
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.path("event").asText()).isEqualTo("failure");
            assertThat(n.path("host").asText()).isEqualTo("w2");
            assertThat(n.path("step").asText()).isEqualTo("Install workers");
            assertThat(n.path("hint").asText()).contains("k0sworker");
        });
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.path("event").asText()).isEqualTo("summary");
        assertThat(summary.path("k0sctlExit").asInt()).isEqualTo(1);
        assertThat(summary.path("nodes").get(2).path("result").asText()).isEqualTo("failed");
        assertNoSecrets(r.out());
    }

    @Test
    @DisplayName("k0s: on a terminal each host gets a live line with its current k0sctl phase")
    void liveTerminal() {
        CliRunner.Result r = cli.tty(true).env("TERM", "xterm").env("STANDIN_MODE", "fail").run(args("provision"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("\u001b[2K").containsPattern("\u001b\\[\\d+A");
        assertThat(r.out()).contains("play: k0sctl apply: testk0s");
        assertThat(r.out()).containsPattern("cp1 +\\d+ done +ok \\d+ +changed 2 +failed 0");
        assertThat(r.out()).contains("✗ w2: failed at 'Install workers'");
    }

    @Test
    @DisplayName("k0s: add-node --provision adds the node, applies the whole cluster file with it, and waits for it")
    void addNodeProvision() throws Exception {
        nodes("True");
        client.nodes().resource(k0sNode("w3", false, "100.64.0.4", "True")).create();
        Path status = home.ansible.resolve("inventory/tailnet.json");
        Files.writeString(status, Files.readString(status).replace("\"k3\":", """
                "k4": {"ID": "n4", "HostName": "w3", "DNSName": "w3.tail1234.ts.net.", "OS": "linux",
                       "TailscaleIPs": ["100.64.0.4"], "Online": true},
                "k3":"""));
        CliRunner.Result r = cli.run("--inventory", inventory.toString(), "add-node", "w3", "100.64.0.4", "--role", "worker",
                "--provision", "--status-file", status.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(Files.readString(inventory)).contains("w3:");
        assertThat(Files.readAllLines(k0sctl.argsFile).get(0)).startsWith("apply --config ");
        assertThat(Files.readString(k0sctl.configCopy)).contains("address: 100.64.0.4").contains("address: 100.64.0.1");
        assertThat(r.out()).contains("==> Run k0sctl apply").contains("✓ w3: Ready");
    }

    @Test
    @DisplayName("k0s: a stop request (Ctrl-C) interrupts k0sctl, says which hosts may be half done, and exits 130")
    void ctrlCStopsK0sctl() throws Exception {
        java.io.StringWriter buf = new java.io.StringWriter();
        java.io.PrintWriter w = new java.io.PrintWriter(buf, true);
        Cancellation cancel = new Cancellation();
        PhaseContext ctx = new PhaseContext(new Console(new dev.kubani.cli.Term(w, w, false, false), Console.Mode.PLAIN, w,
                0, 100), false, cancel);
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("PATH", k0sctl.path());
        env.put("STANDIN_MODE", "slow");
        env.put("KUBANI_ARTIFACTS", home.artifacts.toString());
        ProvisionOptions o = new ProvisionOptions(home.home, inventory, null, null, null, null, List.of(), false, 0, false,
                true, java.time.Duration.ofSeconds(5), home.ansible.resolve("inventory/tailnet.json"), false);
        ctx.put(ProvisionRun.class, new ProvisionRun(o, env, true));
        java.util.concurrent.CompletableFuture<Exception> done = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                dev.kubani.cli.provision.Provisioning.phases(true).run(ctx);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!buf.toString().contains("Install k0s binaries") || !home.logHas("installing k0s controller")) {
            assertThat(System.nanoTime()).as(buf.toString()).isLessThan(deadline);
            Thread.sleep(20);
        }
        long t0 = System.nanoTime();
        cancel.request();
        Exception e = done.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("stopped promptly").isLessThan(10_000);
        assertThat(e).isInstanceOf(Cancelled.class);
        assertThat(((Cancelled) e).exitCode()).isEqualTo(130);
        assertThat(e.getMessage()).contains("k0sctl was stopped during 'Install controllers'");
        String out = buf.toString();
        assertThat(out).contains("k0sctl was stopped during phase 'Install controllers'.")
                .contains("possibly half-configured: cp1")
                .contains("running the same command again is safe: k0sctl apply is idempotent");
        assertThat(out).doesNotContain("==> Merge the kubeconfig").contains("==> Summary");
        assertThat(Files.readString(home.onlyRunDir().resolve("stdout"))).contains("Running clean-up for phase: Install controllers");
    }

}
