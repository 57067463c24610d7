package dev.kubani.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab commands as a person runs them: plans, tool checks and input errors. */
class LabCliTest {

    @Test
    @DisplayName("lab plan: table, JSON and YAML from env and flags; a quorum warning for 4 controllers")
    void plan(@TempDir Path dir) {
        CliRunner cli = new CliRunner(dir).env("control_plane_count", "3").env("worker_count", "2");
        CliRunner.Result r = cli.run("lab", "plan", "--lab-dir", dir.toString(), "--provider", "libvirt");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ha mode: 3 controllers (1 running workloads) + 2 workers")
                .containsPattern("control-plane-3\\s+controller\\s+controller\\s+192.168.64.12\\s+2\\s+2048 MB\\s+32 GB")
                .containsPattern("worker-2\\s+worker\\s+worker\\s+192.168.64.21\\s+2\\s+4096 MB");
        r = cli.run("lab", "plan", "--lab-dir", dir.toString(), "--provider", "tart", "--workers", "5", "-o", "json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"provider\" : \"tart\"").contains("\"user\" : \"admin\"").contains("\"worker-5\"")
                .contains("\"workload_controllers\" : 1");
        r = cli.run("lab", "plan", "--lab-dir", dir.toString(), "--control-planes", "4", "-o", "yaml");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("mode: ha").contains("name: control-plane-4");
        assertThat(r.err()).startsWith("warning: 4 controllers");
    }

    @Test
    @DisplayName("bad settings: exit 2 and one line naming the variable or flag")
    void badInput(@TempDir Path dir) {
        CliRunner.Result r = new CliRunner(dir).env("memory_worker", "lots").run("lab", "plan", "--lab-dir", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("error: environment variable memory_worker='lots'");
        r = new CliRunner(dir).run("lab", "plan", "--lab-dir", dir.toString(), "--workers", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--workers");
        r = new CliRunner(dir).run("lab");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("subcommand");
    }

    @Test
    @DisplayName("each step checks its tools first and says how to install the missing ones (exit 3)")
    void missingTools(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        CliRunner cli = new CliRunner(dir).env("PATH", empty.toString());
        CliRunner.Result r = cli.run("lab", "up", "--lab-dir", dir.toString(), "--provider", "libvirt");
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("'cluster-mgr lab up' needs vagrant").contains("apt-get install vagrant")
                .contains("ssh-keygen").contains("libvirt-daemon-system");
        r = cli.run("lab", "up", "--lab-dir", dir.toString(), "--provider", "tart");
        assertThat(r.err()).contains("brew install cirruslabs/cli/tart");
        r = cli.run("lab", "apply", "--lab-dir", dir.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("needs k0sctl").contains("k0sproject/k0sctl releases").contains("vagrant");
        for (String step : new String[] {"down", "status"}) {
            r = cli.run("lab", step, "--lab-dir", dir.toString());
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err()).contains("'cluster-mgr lab " + step + "' needs vagrant");
        }
        r = cli.run("lab", "kubeconfig", "--lab-dir", dir.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("needs k0sctl");
        // nothing was written by the failed steps
        assertThat(dir.resolve(".ssh")).doesNotExist();
        assertThat(dir.resolve("k0sctl.yaml")).doesNotExist();
    }

    @Test
    @DisplayName("k0sctl render --lab writes lab/k0sctl.yaml from the plan; --out - prints it")
    void renderLab(@TempDir Path dir) throws IOException {
        CliRunner.Result r = new CliRunner(dir).run("k0sctl", "render", "--lab", "--lab-dir", dir.toString(), "--provider",
                "libvirt", "--control-planes", "3", "--workers", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        String text = Files.readString(dir.resolve("k0sctl.yaml"));
        assertThat(text).contains("kind: Cluster").contains("address: 192.168.64.21").contains("role: controller+worker");
        r = new CliRunner(dir).run("k0sctl", "render", "--lab", "--lab-dir", dir.toString(), "--out", "-");
        assertThat(r.out()).contains("apiVersion: k0sctl.k0sproject.io/v1beta1").contains("hostname: worker-1");
    }

    @Test
    @DisplayName("k0sctl render from a k0s inventory writes k0sctl.yaml beside it; a K3s inventory is refused (exit 2)")
    void renderInventory(@TempDir Path dir) throws IOException {
        Path inv = Files.createDirectories(dir.resolve("inv"));
        Files.writeString(inv.resolve("hosts.yml"), """
                all:
                  vars:
                    k8s_distribution: k0s
                  children:
                    control_plane:
                      hosts:
                        nuc: {ansible_host: 100.64.0.1, tailscale_ip: 100.64.0.1}
                    workers:
                      hosts:
                        pc: {ansible_host: 100.64.0.2, tailscale_ip: 100.64.0.2}
                """);
        CliRunner.Result r = new CliRunner(dir).run("--inventory", inv.resolve("hosts.yml").toString(), "k0sctl", "render");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("2 hosts");
        assertThat(Files.readString(inv.resolve("k0sctl.yaml"))).contains("privateInterface: tailscale0")
                .contains("address: 100.64.0.2");
        Files.writeString(inv.resolve("hosts.yml"), Files.readString(inv.resolve("hosts.yml")).replace("k0s", "k3s"));
        r = new CliRunner(dir).run("--inventory", inv.resolve("hosts.yml").toString(), "k0sctl", "render", "--out", "x.yaml");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("k8s_distribution is k3s");
        assertThat(dir.resolve("x.yaml")).doesNotExist();
    }
}
