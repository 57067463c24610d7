package dev.kubani.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.CliRunner;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dns show} and {@code verify pods|certificates} through the CLI, reading fabric8's CRUD
 * mock API server (a stand-in for K3s's API server) through a kubeconfig.
 */
@EnableKubernetesMockClient(crud = true)
class ServicesCliTest {
    KubernetesClient client;
    @TempDir
    Path dir;

    CliRunner cli() throws Exception {
        return new CliRunner(dir).env("KUBECONFIG", ClusterFixtures.kubeconfig(client, dir).toString());
    }

    void traefik(String... ips) {
        var b = new ServiceBuilder().withNewMetadata().withName("traefik").withNamespace("kube-system").endMetadata()
                .withNewSpec().withType("LoadBalancer").endSpec().withNewStatus().withNewLoadBalancer();
        for (String ip : ips) {
            b = b.addNewIngress().withIp(ip).endIngress();
        }
        client.services().inNamespace("kube-system").resource(b.endLoadBalancer().endStatus().build()).create();
    }

    @Test
    @DisplayName("dns show: Traefik's Tailscale address (preferred among several) and the three A records")
    void dnsShow() throws Exception {
        traefik("192.168.1.20", "100.101.102.103");
        CliRunner.Result r = cli().run("dns", "show", "--domain", "Example.COM");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Traefik address: 100.101.102.103")
                .containsPattern("postgres\\.example\\.com\\s+A\\s+100\\.101\\.102\\.103\\s+DNS only")
                .containsPattern("redis\\.example\\.com\\s+A\\s+100\\.101\\.102\\.103")
                .containsPattern("auth\\.example\\.com\\s+A\\s+100\\.101\\.102\\.103")
                .contains("cluster-mgr dns apply --yes");
        CliRunner.Result json = cli().run("-o", "json", "dns", "show", "--domain", "example.com");
        assertThat(json.out()).contains("\"ip\" : \"100.101.102.103\"").contains("\"tailscale\" : true");
    }

    @Test
    @DisplayName("dns show: the domain comes from the inventory variable 'domain' when --domain is absent")
    void dnsShowDomainFromInventory() throws Exception {
        traefik("100.64.0.7");
        Path inv = dir.resolve("ansible/inventory/hosts.yml");
        Files.createDirectories(inv.getParent());
        Files.writeString(inv, "all:\n  vars:\n    domain: lab.example.org\n  children:\n    control_plane:\n      hosts: {}\n");
        CliRunner.Result r = cli().run("dns", "show");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("postgres.lab.example.org");
    }

    @Test
    @DisplayName("dns show: no Traefik address yet, or no Traefik Service, is exit 3 with what to check")
    void dnsShowNoAddress() throws Exception {
        CliRunner.Result none = cli().run("dns", "show", "--domain", "example.com");
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.err()).contains("Service kube-system/traefik does not exist");
        traefik();
        CliRunner.Result pending = cli().run("dns", "show", "--domain", "example.com");
        assertThat(pending.code()).isEqualTo(3);
        assertThat(pending.err()).contains("has no LoadBalancer IPv4 address yet").contains("--ip");
    }

    @Test
    @DisplayName("dns show without a cluster: the kubeconfig problem in one line, exit 3")
    void dnsShowNoKubeconfig() {
        CliRunner.Result r = new CliRunner(dir).env("KUBECONFIG", dir.resolve("missing").toString())
                .run("dns", "show", "--domain", "example.com");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("no kubeconfig at");
    }

    @Test
    @DisplayName("verify pods certificates: rows from the cluster, exit 1 when a pod is not ready")
    void verifyPods() throws Exception {
        ClusterFixtures.create(client, ClusterFixtures.readyPod("database", "postgresql-0"));
        ClusterFixtures.create(client, ClusterFixtures.readyPod("cache", "redis-master-0"));
        ClusterFixtures.create(client, ClusterFixtures.crashLooping("auth", "authentik-server-1"));
        CliRunner.Result r = cli().run("verify", "pods");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).containsPattern("pods\\s+namespace database\\s+ok")
                .containsPattern("pods\\s+namespace auth\\s+FAIL\\s+\\d+ms\\s+0/1 pods ready; authentik-server-1 not ready")
                .contains("3 checks: 2 ok, 0 warnings, 1 failed");

        ClusterFixtures.seedCertManager(client, java.time.Instant.now(), true);
        CliRunner.Result certs = cli().run("-o", "json", "verify", "certificates");
        assertThat(certs.code()).isEqualTo(1);
        assertThat(certs.out()).contains("\"target\" : \"ClusterIssuer letsencrypt-prod\"").contains("\"result\" : \"warn\"");
    }

    @Test
    @DisplayName("verify: unknown check, bad timeout, missing domain are exit 2 with one line")
    void verifyBadInput() {
        CliRunner.Result unknown = new CliRunner(dir).run("verify", "mysql");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown check 'mysql'").contains("postgresql, redis, authentik, certificates, pods");
        CliRunner.Result timeout = new CliRunner(dir).run("verify", "redis", "--timeout", "0");
        assertThat(timeout.code()).isEqualTo(2);
        CliRunner.Result domain = new CliRunner(dir).run("verify", "redis");
        assertThat(domain.code()).isEqualTo(2);
        assertThat(domain.err().strip().lines()).hasSize(1);
        assertThat(domain.err()).contains("no domain configured").contains("config-set domain");
        CliRunner.Result url = new CliRunner(dir).run("verify", "authentik", "--authentik-url", "http://auth.example.com");
        assertThat(url.code()).isEqualTo(2);
        assertThat(url.err()).contains("--authentik-url");
    }

    @Test
    @DisplayName("--help works for dns, dns show, dns apply and verify; 'dns' alone says which subcommands exist")
    void help() {
        for (String[] args : new String[][] {{"dns", "--help"}, {"dns", "show", "--help"}, {"dns", "apply", "--help"}, {"verify", "--help"}}) {
            CliRunner.Result r = new CliRunner(dir).run(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).startsWith("Usage: cluster-mgr " + args[0]);
        }
        assertThat(new CliRunner(dir).run("dns", "apply", "--help").out()).contains("--token-file").contains("--yes");
        CliRunner.Result bare = new CliRunner(dir).run("dns");
        assertThat(bare.code()).isEqualTo(2);
        assertThat(bare.err()).contains("show or apply");
    }
}
