package dev.kubani.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.CliRunner;
import dev.kubani.testutil.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind: exit code 2, exactly one clear line on stderr that names the
 * field, flag or file position, no stack trace, and every inventory file exactly as it was.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        // IP addresses
        add(a, "IP: ", "add-node", "n1", "100.300.0.1", "--role", "worker");
        add(a, "IP: ", "add-node", "n1", "100.64.0", "--role", "worker");
        add(a, "IP: ", "add-node", "n1", "100.64.0.1.5", "--role", "worker");
        add(a, "IP: ", "add-node", "n1", "010.64.0.1", "--role", "worker");
        add(a, "outside the tailnet", "add-node", "n1", "192.168.1.10", "--role", "worker");
        add(a, "outside the tailnet", "add-node", "n1", "100.128.0.1", "--role", "worker");
        add(a, "outside the tailnet", "add-node", "n1", "fd00::1", "--role", "worker");
        add(a, "IP: ", "add-node", "n1", "fd7a:115c:a1e0::zz", "--role", "worker");
        add(a, "IP: ", "add-node", "n1", "example.com", "--role", "worker");
        add(a, "already belongs to 'nuc'", "add-node", "n1", "100.64.0.1", "--role", "worker");
        // names
        add(a, "NAME: ", "add-node", "Bad_Name", "100.64.0.9", "--role", "worker");
        add(a, "Unknown option: '-lead'", "add-node", "-lead", "100.64.0.9", "--role", "worker");
        add(a, "NAME: ", "add-node", "trail-", "100.64.0.9", "--role", "worker");
        add(a, "NAME: ", "add-node", "a".repeat(64), "100.64.0.9", "--role", "worker");
        add(a, "NAME: ", "add-node", "dot..dot", "100.64.0.9", "--role", "worker");
        add(a, "already in the inventory", "add-node", "nuc", "100.64.0.9", "--role", "worker");
        // roles
        add(a, "--role: ", "add-node", "n1", "100.64.0.9", "--role", "master");
        add(a, "Missing required option", "add-node", "n1", "100.64.0.9");
        // taints
        add(a, "--taints: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--taints", "gpu=true");
        add(a, "--taints: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--taints", "gpu=true:NoRun");
        add(a, "--taints: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--taints", "bad key=x:NoSchedule");
        add(a, "--taints: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--taints", ":NoSchedule");
        // labels
        add(a, "--labels: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--labels", "novalue");
        add(a, "--labels: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--labels", "a=b c");
        add(a, "--labels: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--labels", "Bad/x=y");
        add(a, "--labels: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--labels", "a=" + "v".repeat(64));
        add(a, "--labels: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--labels", "a=1,a=2");
        // quantities
        add(a, "--reserved-cpu: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--reserved-cpu", "two");
        add(a, "--reserved-cpu: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--reserved-cpu", "-1");
        add(a, "--reserved-memory: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--reserved-memory", "4GB");
        add(a, "--reserved-memory: ", "add-node", "n1", "100.64.0.9", "--role", "worker", "--reserved-memory", "4 Gi");
        // config values
        add(a, "k3s_version: ", "config-set", "k3s_version", "1.28.5");
        add(a, "k3s_version: ", "config-set", "k3s_version", "v1.28.5+k0s1");
        add(a, "cluster_cidr: ", "config-set", "cluster_cidr", "10.42.0.0/33");
        add(a, "service_cidr: ", "config-set", "service_cidr", "10.43.0.0");
        add(a, "VALUE: ", "config-set", "monitoring_enabled", "maybe");
        add(a, "VALUE: ", "config-set", "monitoring_enabled", "maybe", "--type", "bool");
        add(a, "VALUE: ", "config-set", "worker_count", "five", "--type", "int");
        add(a, "VALUE: not valid JSON", "config-set", "node_labels", "{env: prod", "--type", "json");
        add(a, "node_labels: ", "config-set", "node_labels", "[1,2]", "--type", "json");
        add(a, "git_repo_url: ", "config-set", "git_repo_url", "not a url");
        add(a, "cluster_name: ", "config-set", "cluster_name", "My Cluster");
        add(a, "KEY: ", "config-set", "9lives", "x");
        add(a, "KEY: ", "config-set", "flux..namespace", "x");
        add(a, "--type: ", "config-set", "x", "1", "--type", "float");
        add(a, "--scope ", "config-set", "cluster_name", "x", "--scope", "nosuch");
        add(a, "k8s_distribution: ", "config-set", "k8s_distribution", "microk8s");
        // commands and flags
        add(a, "Unknown option", "add-node", "n1", "100.64.0.9", "--role", "worker", "--frobnicate");
        add(a, "--output: ", "discover", "--output", "xml", "--status-file", "STATUS");
        add(a, "not in ", "remove-node", "ghost", "--force");
        add(a, "Unmatched argument", "nosuchcommand");
        return a.stream();
    }

    private static void add(List<Arguments> a, String expect, String... args) {
        a.add(Arguments.of(String.join(" ", args), expect, args));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("bad input: exit 2, one clear line, files unchanged")
    void badInput(String title, String expect, String[] args) throws IOException {
        Path inv = Fixtures.inventory(tmp);
        Path status = tmp.resolve("status.json");
        Files.writeString(status, Fixtures.resource("tailscale/status-1.76.json"));
        Map<Path, String> before = snapshot(inv.getParent());
        List<String> full = new ArrayList<>();
        for (String s : args) {
            full.add(s.equals("STATUS") ? status.toString() : s);
        }
        if (!full.get(0).equals("nosuchcommand")) {
            full.add("--inventory");
            full.add(inv.toString());
        }
        CliRunner.Result r = new CliRunner(tmp).run(full.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(r.toString()).hasSize(1);
        assertThat(lines.get(0)).startsWith("error: ").contains(expect).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(snapshot(inv.getParent())).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    @DisplayName("broken inventory files: exit 2, file:line:column in one line, files unchanged")
    void brokenFile(String title, String content, String expect, boolean readable) throws IOException {
        Path inv = Fixtures.inventory(tmp);
        Files.writeString(inv, content);
        Map<Path, String> before = snapshot(inv.getParent());
        for (String[] cmd : List.of(new String[] {"add-node", "n1", "100.64.0.9", "--role", "worker"},
                new String[] {"config-set", "cluster_name", "x"}, new String[] {"config-get", "cluster_name"},
                new String[] {"validate"})) {
            if (readable && cmd[0].equals("config-get")) {
                continue; // reading a value does not need every host to be valid
            }
            List<String> full = new ArrayList<>(List.of(cmd));
            full.add("--inventory");
            full.add(inv.toString());
            CliRunner.Result r = new CliRunner(tmp).run(full.toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            String all = r.err() + r.out();
            assertThat(all).as(r.toString()).contains(expect).doesNotContain("Exception").doesNotContain("\tat ");
            if (!cmd[0].equals("validate")) {
                assertThat(r.err().lines().filter(l -> !l.isBlank()).count()).as(r.toString()).isEqualTo(1);
            }
        }
        assertThat(snapshot(inv.getParent())).isEqualTo(before);
    }

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                Arguments.of("tab indentation", "all:\n\tvars: {}\n", "hosts.yml:2:1:", false),
                Arguments.of("unclosed flow", "all:\n  vars: {a: 1\n", "hosts.yml:", false),
                Arguments.of("duplicate key", "all:\n  vars: {}\n  vars: {}\n", "hosts.yml:3:3: duplicate key 'vars'", false),
                Arguments.of("comment in flow mapping", "all: {#c\n  children: {workers: {hosts: {w: {tailscale_ip: 100.64.0.300}}}}}\n",
                        "hosts.yml:2", true),
                Arguments.of("hosts is a list", "all:\n  children:\n    workers:\n     hosts:\n      - a\n", "hosts.yml:5", false),
                Arguments.of("not a mapping", "- a\n- b\n", "hosts.yml:1", false),
                Arguments.of("bad ip in file", "all:\n  children:\n    workers:\n      hosts:\n        w:\n          tailscale_ip: 1.2.3\n",
                        "hosts.yml:6", true));
    }

    static Map<Path, String> snapshot(Path dir) throws IOException {
        Map<Path, String> m = new TreeMap<>();
        try (var s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".kubani.lock")).toList()) {
                m.put(dir.relativize(p), Files.readString(p));
            }
        }
        return m;
    }
}
