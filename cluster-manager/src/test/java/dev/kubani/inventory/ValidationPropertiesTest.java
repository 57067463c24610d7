package dev.kubani.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.CliRunner;
import dev.kubani.testutil.Fixtures;
import dev.kubani.testutil.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationPropertiesTest {
    private static final Path F = Path.of("hosts.yml");

    private static String hostName(Random rnd) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        sb.append(alphabet.charAt(rnd.nextInt(26)));
        int n = rnd.nextInt(20);
        for (int i = 0; i < n; i++) {
            sb.append(rnd.nextInt(8) == 0 ? '-' : alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return sb.toString();
    }

    private static String ip(Random rnd, int i) {
        if (rnd.nextInt(5) == 0) {
            return "fd7a:115c:a1e0::" + Integer.toHexString(i + 1);
        }
        return "100." + (64 + rnd.nextInt(64)) + "." + (i / 250) + "." + (i % 250 + 1);
    }

    @Test
    @DisplayName("Property 8: only hostname, Tailscale IP and role are required; every other field is optional")
    void property8MinimalNodeDefinition() {
        Seeds.forAll("Property 8", 100, rnd -> {
            int n = 1 + rnd.nextInt(8);
            List<String[]> hosts = new ArrayList<>(); // name, group, ip, optional lines
            for (int i = 0; i < n; i++) {
                String opt = "";
                if (rnd.nextBoolean()) {
                    opt += "          reserved_cpu: \"" + (1 + rnd.nextInt(8)) + "\"\n";
                }
                if (rnd.nextBoolean()) {
                    opt += "          gpu: " + rnd.nextBoolean() + "\n";
                }
                hosts.add(new String[] {hostName(rnd) + i, i == 0 || rnd.nextInt(4) == 0 ? "control_plane" : "workers",
                    ip(rnd, i), opt});
            }
            List<String> names = hosts.stream().map(h -> h[0]).toList();
            String text = render(hosts, null, null);
            Inventory inv = Inventory.fromTexts(F, Map.of(F, text));
            List<Problem> errors = inv.validate(false).stream().filter(Problem::isError).toList();
            assertThat(errors).as(text).isEmpty();
            assertThat(inv.nodes()).extracting(Node::hostname).containsExactlyInAnyOrderElementsOf(names);

            // take away one required field from one host: exactly that is reported, with its line
            String victim = names.get(rnd.nextInt(names.size()));
            int what = rnd.nextInt(2);
            String broken = what == 0 ? render(hosts, victim, null) : render(hosts, null, victim);
            Inventory b = Inventory.fromTexts(F, Map.of(F, broken));
            List<Problem> e2 = b.validate(false).stream().filter(Problem::isError).toList();
            assertThat(e2).as(broken).hasSize(1);
            assertThat(e2.get(0).field()).startsWith(victim);
            assertThat(e2.get(0).line()).isPositive();
            assertThat(e2.get(0).message()).contains(what == 0 ? "missing" : "neither control_plane nor workers");
        });
    }

    /** Inventory text; {@code noIp} loses its tailscale_ip, {@code noRole} moves to a group of its own. */
    private static String render(List<String[]> hosts, String noIp, String noRole) {
        StringBuilder sb = new StringBuilder("all:\n  children:\n");
        for (String g : List.of("control_plane", "workers", "others")) {
            sb.append("    ").append(g).append(":\n      hosts:\n");
            for (String[] h : hosts) {
                String group = h[0].equals(noRole) ? "others" : h[1];
                if (!group.equals(g)) {
                    continue;
                }
                sb.append("        ").append(h[0]).append(":\n");
                if (!h[0].equals(noIp)) {
                    sb.append("          tailscale_ip: ").append(h[2]).append('\n');
                }
                sb.append(h[3]);
                if (h[0].equals(noIp) && h[3].isEmpty()) {
                    sb.append("          ansible_user: admin\n");
                }
            }
        }
        return sb.toString();
    }

    @Test
    @DisplayName("Property 21: invalid configuration is rejected before any file is written")
    void property21ValidationBeforeWrite(@TempDir Path tmp) throws IOException {
        Path inv = Fixtures.inventory(tmp);
        Map<Path, String> before = snapshot(inv.getParent());
        CliRunner cli = new CliRunner(tmp);
        String[][] bad = {
            {"k3s_version", "latest"}, {"k3s_version", "v1.28+k3s1"}, {"cluster_cidr", "10.42.0.0"},
            {"cluster_cidr", "300.1.0.0/16"}, {"service_cidr", "fd00::/129"}, {"tailscale_network", "x"},
            {"gitops_enabled", "sometimes"}, {"git_repo_url", "ftp://x/y"}, {"git_branch", "a..b"},
            {"flux_namespace", "Flux_System"}, {"cluster_domain", "-bad-"}, {"reserved_cpu", "lots"},
            {"gpu_timeslicing_replicas", "0"}, {"k8s_distribution", "kubeadm"}, {"cluster_name", ""},
        };
        Seeds.forAll("Property 21", 100, rnd -> {
            String[] kv = bad[rnd.nextInt(bad.length)];
            String scope = List.of("all", "control_plane", "workers", "nuc").get(rnd.nextInt(4));
            CliRunner.Result r = cli.run("config-set", kv[0], kv[1], "--scope", scope, "--inventory", inv.toString());
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().lines().count()).isEqualTo(1);
            try {
                assertThat(snapshot(inv.getParent())).isEqualTo(before);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // and valid values of the same keys are accepted and written
        CliRunner.Result ok = cli.run("config-set", "k3s_version", "v1.31.4+k3s1", "--inventory", inv.toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(Files.readString(inv)).contains("k3s_version: v1.31.4+k3s1   # see release notes");
    }

    @Test
    void validateListsEveryProblemWithFileLineAndField(@TempDir Path tmp) throws IOException {
        Path inv = Fixtures.inventory(tmp);
        Files.writeString(inv, "all:\n  vars:\n    k3s_version: 1.28\n  children:\n    control_plane:\n      hosts:\n"
                + "        Bad_Name:\n          tailscale_ip: 100.64.0.1\n        b:\n          tailscale_ip: 10.0.0.1\n"
                + "    workers:\n      hosts:\n        c:\n          tailscale_ip: 100.64.0.1\n          reserved_memory: 4GB\n"
                + "          gpu: \"yes\"\n          node_labels:\n            workstation: true\n"
                + "          node_taints:\n            - key: x\n              effect: Never\n");
        Files.writeString(inv.getParent().resolve("group_vars/all.yml"), "cluster_cidr: nope\n");
        CliRunner.Result r = new CliRunner(tmp).run("validate", "--inventory", inv.toString());
        assertThat(r.code()).isEqualTo(2);
        String out = r.out();
        assertThat(out).contains("hosts.yml:3: all.vars.k3s_version:")
                .contains("hosts.yml:7: Bad_Name: ")
                .contains("hosts.yml:10: b.tailscale_ip: '10.0.0.1' is outside the tailnet")
                .contains("hosts.yml:14: c.tailscale_ip: '100.64.0.1' is already the Tailscale IP of 'Bad_Name'")
                .contains("hosts.yml:15: c.reserved_memory:")
                .contains("hosts.yml:16: c.gpu: must be true or false")
                .contains("hosts.yml:18: c.node_labels: label 'workstation' must have a quoted string value")
                .contains("hosts.yml:20: c.node_taints: taint effect 'Never'")
                .contains("all.yml:1: cluster_cidr:")
                .contains("warning: ").contains("2 control-plane nodes")
                .contains("9 errors");
    }

    static Map<Path, String> snapshot(Path dir) throws IOException {
        Map<Path, String> m = new LinkedHashMap<>();
        try (var s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                if (!p.getFileName().toString().equals(".kubani.lock")) {
                    m.put(p, Files.readString(p));
                }
            }
        }
        return m;
    }
}
