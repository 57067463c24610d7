package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubani.ansible.AnsibleHome;
import dev.kubani.cluster.K3sNodes;
import dev.kubani.testutil.CliRunner;
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
 * cluster-mgr provision and plan end to end: real ansible-playbook on local-connection hosts,
 * a saved tailnet status, and fabric8's mock API server (CRUD mode) standing in for K3s's API
 * server for the wait-Ready phase.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ProvisionCommandTest {
    static KubernetesClient client;

    @TempDir
    Path tmp;
    AnsibleHome home;
    CliRunner cli;
    Path kubeconfig;

    @BeforeEach
    void setUp() throws Exception {
        home = new AnsibleHome(tmp);
        kubeconfig = tmp.resolve("kube/config");
        cli = new CliRunner(tmp)
                .env("KUBANI_HOME", home.home.toString())
                .env("KUBANI_ARTIFACTS", home.artifacts.toString())
                .env("KUBECONFIG", kubeconfig.toString())
                .env("KUBANI_READY_POLL_MS", "50");
        client.nodes().delete();
    }

    String[] args(String... rest) {
        List<String> a = new ArrayList<>(List.of("--inventory", home.inventory.toString()));
        a.addAll(List.of(rest));
        a.addAll(List.of("--status-file", home.ansible.resolve("inventory/tailnet.json").toString()));
        return a.toArray(String[]::new);
    }

    void k3sNodes(String w2Status) {
        client.nodes().resource(K3sNodes.node("cp1", true, "100.64.0.1", "True")).create();
        client.nodes().resource(K3sNodes.node("w1", false, "100.64.0.2", "True")).create();
        client.nodes().resource(K3sNodes.node("w2", false, "100.64.0.3", w2Status)).create();
    }

    @Test
    @DisplayName("provision runs every phase, merges the kubeconfig without switching context and waits for Ready")
    void provisionEndToEnd() throws Exception {
        k3sNodes("True");
        AnsibleHome.writeWorkKubeconfig(kubeconfig);
        String api = client.getConfiguration().getMasterUrl();
        CliRunner.Result r = cli.run(args("provision", "--playbook", "fetch_kubeconfig.yml",
                "--extra-vars", "{\"api_server\": \"" + api + "\"}"));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("==> Validate the inventory", "==> Check the tailnet", "==> Run ansible-playbook",
                "==> Merge the kubeconfig", "==> Wait for the nodes to be Ready", "==> Summary");
        assertThat(r.out().indexOf("==> Check the tailnet")).isLessThan(r.out().indexOf("==> Run ansible-playbook"));
        assertThat(r.out()).contains("context testlab in " + kubeconfig).contains("the current context stays work; reach this cluster with 'kubectl --context testlab'");
        assertThat(r.out()).containsPattern("cp1 +control-plane +changed, Ready +1 ");
        assertThat(r.out()).containsPattern("w2 +worker +not run, Ready +0 ");
        assertThat(r.out() + r.err()).doesNotContain("kubeconfig-secret-token-123").doesNotContain("Q0EtREFUQS1TRUNSRVQ");
        String kc = Files.readString(kubeconfig);
        assertThat(kc).contains("name: testlab").contains("current-context: work").contains("work-token")
                .contains("kubeconfig-secret-token-123");
        assertThat(Files.getPosixFilePermissions(kubeconfig)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var runs = Files.list(home.artifacts)) {
            Path run = runs.findFirst().orElseThrow();
            assertThat(run.resolve("kubeconfig")).doesNotExist();
            assertThat(run.resolve("stdout")).exists();
        }
    }

    @Test
    @DisplayName("Property 10: provision fails (exit 1) when a node is not Ready within the timeout")
    void notReadyFails() throws Exception {
        k3sNodes("False");
        String api = client.getConfiguration().getMasterUrl();
        CliRunner.Result r = cli.run(args("provision", "--playbook", "fetch_kubeconfig.yml", "--ready-timeout", "1s",
                "-e", "{\"api_server\": \"" + api + "\"}"));
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("not Ready after 1 s: w2 (NotReady (KubeletNotReady");
        assertThat(r.out()).contains("==> Summary").containsPattern("w2 +worker +not run, NotReady +0 ");
    }

    @Test
    @DisplayName("a failed host gives exit 1, a report with node, step and hint, and the others' results (JSON lines)")
    void failureOnOneHostAsJsonLines() throws Exception {
        CliRunner.Result r = cli.run(args("-o", "json", "provision", "--playbook", "fail_one.yml"));
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        List<JsonNode> lines = r.jsonLines();
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.path("event").asText()).isEqualTo("failure");
            assertThat(n.path("host").asText()).isEqualTo("w1");
            assertThat(n.path("step").asText()).isEqualTo("Configure the kernel module");
            assertThat(n.path("hint").asText()).isNotBlank();
        });
        assertThat(lines).anySatisfy(n -> assertThat(n.path("event").asText()).isEqualTo("task_start"));
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.path("event").asText()).isEqualTo("summary");
        assertThat(summary.path("nodes").get(0).path("result").asText()).isEqualTo("changed");
        assertThat(summary.path("nodes").get(1).path("result").asText()).isEqualTo("failed");
        assertThat(summary.path("nodes").get(2).path("result").asText()).isEqualTo("changed");
        assertThat(r.out()).doesNotContain("s3cr3t");
        assertThat(r.err()).contains("1 of 3 hosts failed: w1 failed at 'Configure the kernel module'");
    }

    @Test
    @DisplayName("an offline node stops the run before ansible, unless --limit leaves it out")
    void offlineNodeStopsUnlessLimitedOut() throws Exception {
        Path status = home.ansible.resolve("inventory/tailnet.json");
        Files.writeString(status, Files.readString(status).replace(
                "\"TailscaleIPs\": [\"100.64.0.3\"], \"Online\": true", "\"TailscaleIPs\": [\"100.64.0.3\"], \"Online\": false"));
        CliRunner.Result r = cli.run(args("provision", "--playbook", "ok.yml", "--no-wait"));
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).contains("✗ w2: offline").doesNotContain("==> Run ansible-playbook");
        assertThat(r.err()).contains("w2").contains("--limit 'all:!w2'");
        assertThat(home.artifacts).doesNotExist();

        CliRunner.Result ok = cli.run(args("provision", "--playbook", "ok.yml", "--no-wait", "--limit", "all:!w2"));
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("- w2: offline").contains("(left out by --limit)");
        assertThat(ok.out()).containsPattern("w1 +worker +ok").doesNotContainPattern("w2 +worker");
    }

    @Test
    @DisplayName("on a terminal, each host gets a live line redrawn in place")
    void liveProgressOnATerminal() {
        CliRunner.Result r = cli.tty(true).env("TERM", "xterm").run(args("provision", "--playbook", "fail_one.yml",
                "--no-wait"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("\u001b[2K").containsPattern("\u001b\\[\\d+A");
        assertThat(r.out()).containsPattern("cp1 +\\d+ done +ok \\d+ +changed 1 +failed 0");
        assertThat(r.out()).containsPattern("w1 +\\d+ done +ok \\d+ +changed 0 +failed 1");
        assertThat(r.out()).contains("✗ w1: failed at 'Configure the kernel module'");
        assertThat(r.out()).contains("play: Prepare hosts");
    }

    @Test
    @DisplayName("plan shows per host what would change and changes nothing")
    void planShowsWouldChange() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        CliRunner.Result r = cli.run(args("plan", "--playbook", "change.yml", "-e", "out_dir=" + out, "--limit", "w1"));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("--check --diff");
        assertThat(r.out()).contains("w1: 1 change").contains("~ Write the marker file");
        assertThat(r.out()).containsPattern("w1 +worker +would change +1");
        assertThat(r.out()).doesNotContain("==> Merge the kubeconfig").doesNotContain("cp1:");
        assertThat(out.resolve("marker-w1")).doesNotExist();
    }

    @Test
    @DisplayName("bad flags and inventories: exit 2 with one line, nothing run")
    void badInput() throws Exception {
        CliRunner.Result json = cli.run(args("provision", "--playbook", "ok.yml", "--extra-vars", "{\"k3s_version\":"));
        assertThat(json.code()).isEqualTo(2);
        assertThat(json.err().strip().lines()).hasSize(1);
        assertThat(json.err()).contains("--extra-vars: not valid JSON");
        CliRunner.Result pb = cli.run(args("provision", "--playbook", "nope.yml"));
        assertThat(pb.code()).isEqualTo(2);
        assertThat(pb.err()).contains("--playbook: no playbook 'nope.yml'");
        CliRunner.Result to = cli.run(args("provision", "--playbook", "ok.yml", "--ready-timeout", "soon"));
        assertThat(to.code()).isEqualTo(2);
        assertThat(to.err()).contains("--ready-timeout: 'soon' is not a duration");
        Files.writeString(home.inventory, Files.readString(home.inventory).replace("tailscale_ip: 100.64.0.2",
                "tailscale_ip: 192.168.1.2"));
        CliRunner.Result inv = cli.run(args("provision", "--playbook", "ok.yml"));
        assertThat(inv.code()).isEqualTo(2);
        assertThat(inv.err()).contains("hosts.yml").contains("192.168.1.2");
        assertThat(inv.err()).doesNotContain("Exception");
        assertThat(home.artifacts).doesNotExist();
    }
}
