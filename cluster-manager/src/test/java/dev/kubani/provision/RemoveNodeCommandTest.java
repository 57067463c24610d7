package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.ansible.AnsibleHome;
import dev.kubani.cluster.K3sNodes;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * remove-node end to end: fabric8's mock API server (CRUD mode) stands in for K3s's API
 * server; remove_node.yml is a local-connection stand-in run by real ansible-playbook.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class RemoveNodeCommandTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    @TempDir
    Path tmp;
    AnsibleHome home;
    CliRunner cli;
    Path out;
    Path kubeconfig;

    @BeforeEach
    void setUp() throws Exception {
        home = new AnsibleHome(tmp);
        out = Files.createDirectories(tmp.resolve("out"));
        kubeconfig = tmp.resolve("kube/config");
        writeKubeconfig(client.getConfiguration().getMasterUrl());
        cli = new CliRunner(tmp).env("KUBANI_HOME", home.home.toString())
                .env("KUBANI_ARTIFACTS", home.artifacts.toString())
                .env("KUBECONFIG", kubeconfig.toString())
                .env("KUBANI_TEST_OUT", out.toString());
        RemoveNodeScene.seed(client, K3sNodes::node, "svclb");
    }

    void writeKubeconfig(String server) throws Exception {
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: testlab, cluster: {server: '%s'}}]
                users: [{name: testlab, user: {token: t}}]
                contexts: [{name: testlab, context: {cluster: testlab, user: testlab}}]
                current-context: testlab
                """.formatted(server));
    }

    CliRunner.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--inventory";
        all[1] = home.inventory.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.run(all);
    }

    void blockingBudgetOnW2() {
        client.pods().inNamespace("db").resource(new PodBuilder().withNewMetadata().withName("postgres-0")
                .withNamespace("db").withUid("pg0").addToLabels("app", "postgres").addNewOwnerReference()
                .withKind("StatefulSet").withName("postgres").withApiVersion("apps/v1").withUid("ss").withController(true)
                .endOwnerReference().endMetadata().withNewSpec().withNodeName("w2").endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
        client.policy().v1().podDisruptionBudget().inNamespace("db").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("postgres-pdb").withNamespace("db").endMetadata().withNewSpec()
                .withMinAvailable(new IntOrString(1)).withNewSelector().addToMatchLabels("app", "postgres").endSelector()
                .endSpec().withNewStatus().withDisruptionsAllowed(0).withCurrentHealthy(1).withDesiredHealthy(1)
                .withExpectedPods(1).endStatus().build()).create();
        // The CRUD mock does not enforce budgets: answer the eviction as K3s's API server would.
        server.expect().post().withPath("/api/v1/namespaces/db/pods/postgres-0/eviction")
                .andReturn(429, new StatusBuilder().withStatus("Failure").withCode(429).withReason("TooManyRequests")
                        .withMessage("Cannot evict pod as it would violate the pod's disruption budget.").build())
                .always();
    }

    @Test
    @DisplayName("drain, delete the Node, run remove_node.yml for the host, then edit the inventory")
    void removesEverywhere() throws Exception {
        CliRunner.Result r = run("remove-node", "w1", "--force");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("==> Drain the node", "cordoned w1", "left in place: kube-system/svclb-w1 (DaemonSet)",
                "==> Delete the Node", "deleted Node w1", "==> Uninstall K3s on the host (remove_node.yml)",
                "==> Remove it from the inventory", "removed w1");
        assertThat(r.out()).doesNotContain("only the inventory changed");
        assertThat(client.nodes().withName("w1").get()).isNull();
        assertThat(out.resolve("uninstalled-w1")).exists();
        assertThat(Files.readString(home.inventory)).doesNotContain("w1:").contains("w2:");
    }

    @Test
    @DisplayName("a pod held by a PodDisruptionBudget stops the removal: listed, inventory and Node kept")
    void blockedDrainKeepsInventory() throws Exception {
        blockingBudgetOnW2();
        String before = Files.readString(home.inventory);
        CliRunner.Result r = run("remove-node", "w2", "--drain-timeout", "1s", "--no-color");
        // no --force: it asks first
        assertThat(r.code()).isEqualTo(2);
        CliRunner.Result yes = cli.stdin("y\n").run("--inventory", home.inventory.toString(), "remove-node", "w2",
                "--drain-timeout", "1s");
        assertThat(yes.code()).as(yes.toString()).isEqualTo(1);
        assertThat(yes.out()).contains("db/postgres-0: blocked by PodDisruptionBudget db/postgres-pdb (minAvailable 1, "
                + "0 disruptions allowed now)");
        assertThat(yes.err()).contains("the inventory was not changed").contains("kubectl uncordon w2");
        assertThat(Files.readString(home.inventory)).isEqualTo(before);
        assertThat(client.nodes().withName("w2").get()).isNotNull();
        assertThat(out.resolve("uninstalled-w2")).doesNotExist();
    }

    @Test
    @DisplayName("--force removes the node even when the drain is blocked, and says what it passed over")
    void forcePastBlockedDrain() throws Exception {
        blockingBudgetOnW2();
        CliRunner.Result r = run("remove-node", "w2", "--drain-timeout", "1s", "--force");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("warning: --force: removing w2 although drain of w2 did not finish");
        assertThat(client.nodes().withName("w2").get()).isNull();
        assertThat(Files.readString(home.inventory)).doesNotContain("w2:");
    }

    @Test
    @DisplayName("an unreachable API: exit 3 and the inventory untouched, unless --force")
    void unreachableApi() throws Exception {
        writeKubeconfig("http://127.0.0.1:1");
        String before = Files.readString(home.inventory);
        CliRunner.Result r = cli.stdin("y\n").run("--inventory", home.inventory.toString(), "remove-node", "w1");
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("cannot reach the Kubernetes API at http://127.0.0.1:1")
                .contains("the inventory was not changed");
        assertThat(Files.readString(home.inventory)).isEqualTo(before);
        assertThat(home.artifacts).doesNotExist();

        CliRunner.Result f = run("remove-node", "w1", "--force");
        assertThat(f.code()).as(f.toString()).isZero();
        assertThat(f.out()).contains("going on without the Kubernetes API");
        assertThat(out.resolve("uninstalled-w1")).exists();
        assertThat(Files.readString(home.inventory)).doesNotContain("w1:");
    }

    @Test
    @DisplayName("a failed uninstall keeps the inventory (the Node is already gone) and says how to finish")
    void failedUninstallKeepsInventory() throws Exception {
        String before = Files.readString(home.inventory);
        CliRunner.Result r = cli.env("KUBANI_TEST_FAIL_UNINSTALL", "1").stdin("y\n")
                .run("--inventory", home.inventory.toString(), "remove-node", "w1", "--no-drain");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("==> Drain the node");
        assertThat(r.out()).contains("w1: failed at step 'Fail when asked to'");
        assertThat(r.err()).contains("K3s could not be uninstalled on w1").contains("the inventory was not changed");
        assertThat(Files.readString(home.inventory)).isEqualTo(before);
        assertThat(client.nodes().withName("w1").get()).isNull();
    }
}
