package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.ansible.AnsibleHome;
import dev.kubani.cluster.K3sNodes;
import dev.kubani.testutil.CliRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * add-node --provision: real ansible-playbook (a local-connection stand-in for add_node.yml)
 * and fabric8's mock API server in CRUD mode standing in for K3s's API server.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class AddNodeProvisionTest {
    static KubernetesClient client;

    @TempDir
    Path tmp;
    AnsibleHome home;
    CliRunner cli;
    Path status;

    @BeforeEach
    void setUp() throws Exception {
        home = new AnsibleHome(tmp);
        Path kubeconfig = tmp.resolve("kube/config");
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: testlab, cluster: {server: '%s'}}]
                users: [{name: testlab, user: {token: t}}]
                contexts: [{name: testlab, context: {cluster: testlab, user: testlab}}]
                current-context: testlab
                """.formatted(client.getConfiguration().getMasterUrl()));
        status = home.ansible.resolve("inventory/tailnet.json");
        Files.writeString(status, Files.readString(status).replace("\"Peer\": {", """
                "Peer": {
                    "k4": {"ID": "n4", "HostName": "w3", "DNSName": "w3.tail1234.ts.net.", "OS": "linux",
                           "TailscaleIPs": ["100.64.0.4"], "Online": true},"""));
        cli = new CliRunner(tmp).env("KUBANI_HOME", home.home.toString())
                .env("KUBANI_ARTIFACTS", home.artifacts.toString()).env("KUBECONFIG", kubeconfig.toString())
                .env("KUBANI_READY_POLL_MS", "50");
        client.nodes().delete();
        client.nodes().resource(K3sNodes.node("cp1", true, "100.64.0.1", "True")).create();
    }

    CliRunner.Result addW3(String... extra) {
        String[] base = {"--inventory", home.inventory.toString(), "add-node", "w3", "100.64.0.4", "--role", "worker",
            "--provision", "--status-file", status.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return cli.run(all);
    }

    @Test
    @DisplayName("Property 10: add-node --provision provisions only the new node and succeeds once it is Ready")
    void provisionsOnlyTheNewNodeAndWaitsReady() throws Exception {
        client.nodes().resource(K3sNodes.node("w3", false, "100.64.0.4", "True")).create();
        CliRunner.Result r = addW3();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("added w3 to workers").contains("--limit w3,cp1,localhost");
        assertThat(r.out()).contains("2 in --limit").contains("✓ w3: Ready");
        assertThat(r.out()).containsPattern("w3 +worker +changed, Ready +1");
        assertThat(r.out()).doesNotContainPattern("w1 +worker").doesNotContainPattern("w2 +worker");
        assertThat(Files.readString(home.inventory)).contains("w3:");
    }

    @Test
    @DisplayName("Property 10: a node that never turns Ready fails the addition (exit 1) and says what to do")
    void notReadyFails() throws Exception {
        client.nodes().resource(K3sNodes.node("w3", false, "100.64.0.4", "False")).create();
        CliRunner.Result r = addW3("--ready-timeout", "1s");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("not Ready after 1 s: w3 (NotReady").contains("w3 stays in the inventory");
    }
}
