package dev.kubani.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubani.testutil.CliRunner;
import dev.kubani.testutil.Fixtures;
import dev.kubani.testutil.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded sequences of add-node, remove-node and config-set through the real CLI; Ansible's own
 * inventory loader (the code behind ansible-inventory) is the oracle for what was written.
 */
class InventoryPropertiesTest {
    private static final int CASES = 100;

    /** The state a sequence should leave: host to group and host vars, and per-scope vars. */
    private static final class Model {
        final Map<String, String> group = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> scopeVars = new LinkedHashMap<>();
        int nextIp = 10;

        Model() {
            group.put("nuc", "control_plane");
            group.put("desktop", "workers");
            hostVars.put("nuc", new LinkedHashMap<>(Map.of("ansible_host", "100.64.0.1", "tailscale_ip", "100.64.0.1")));
            hostVars.put("desktop", new LinkedHashMap<>(Map.of("ansible_host", "100.64.0.2", "tailscale_ip", "100.64.0.2",
                    "reserved_cpu", "2", "reserved_memory", "4Gi")));
            scopeVars.put("all", new LinkedHashMap<>(Map.of("k3s_version", "v1.28.5+k3s1", "cluster_name", "homelab",
                    "git_branch", "main", "cluster_domain", "cluster.local")));
            scopeVars.put("control_plane", new LinkedHashMap<>());
            scopeVars.put("workers", new LinkedHashMap<>());
        }

        Map<String, Object> effective(String host) {
            Map<String, Object> m = new LinkedHashMap<>(scopeVars.get("all"));
            m.putAll(scopeVars.get(group.get(host)));
            m.putAll(hostVars.get(host));
            return m;
        }
    }

    private static List<String> commentLines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            int i = YamlDoc.commentStart(l);
            if (i >= 0) {
                out.add(l.substring(i).trim());
            }
        }
        return out;
    }

    /** Runs one random step through the CLI and records the expectation. */
    private static void step(Random rnd, Model m, CliRunner cli, Path inv) {
        int op = rnd.nextInt(10);
        if (op < 4 || m.group.size() < 2) {
            String name = "n" + Integer.toString(rnd.nextInt(1 << 20), 36) + "-" + m.nextIp;
            String ip = "100.64." + (m.nextIp / 250) + "." + (m.nextIp % 250 + 3);
            m.nextIp++;
            boolean cp = rnd.nextInt(4) == 0;
            List<String> args = new ArrayList<>(List.of("add-node", name, ip, "--role", cp ? "control-plane" : "worker",
                    "--inventory", inv.toString()));
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("ansible_host", ip);
            vars.put("tailscale_ip", ip);
            if (rnd.nextBoolean()) {
                args.addAll(List.of("--reserved-cpu", String.valueOf(1 + rnd.nextInt(4))));
                vars.put("reserved_cpu", args.get(args.size() - 1));
            }
            if (rnd.nextBoolean()) {
                args.add("--gpu");
                vars.put("gpu", true);
            }
            if (rnd.nextBoolean()) {
                args.addAll(List.of("--labels", "tier=t" + rnd.nextInt(9) + ",workstation=true"));
                vars.put("node_labels", Map.of("tier", args.get(args.size() - 1).substring(5, 7), "workstation", "true"));
            }
            if (rnd.nextInt(3) == 0) {
                args.addAll(List.of("--taints", "dedicated=gpu:NoSchedule"));
                vars.put("node_taints", List.of(Map.of("key", "dedicated", "value", "gpu", "effect", "NoSchedule")));
            }
            var r = cli.run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isZero();
            m.group.put(name, cp ? "control_plane" : "workers");
            m.hostVars.put(name, vars);
        } else if (op < 6) {
            List<String> hosts = new ArrayList<>(m.group.keySet());
            String victim = hosts.get(rnd.nextInt(hosts.size()));
            // the inventory half of remove-node (the CLI would also drain and uninstall on the host)
            InventoryStore.update(inv, false, i -> InventoryEditor.removeNode(i, victim));
            m.group.remove(victim);
            m.hostVars.remove(victim);
        } else {
            String[] scopes = {"all", "control_plane", "workers", "host"};
            String scope = scopes[rnd.nextInt(scopes.length)];
            if (scope.equals("host")) {
                List<String> hosts = new ArrayList<>(m.group.keySet());
                scope = hosts.get(rnd.nextInt(hosts.size()));
            }
            int which = rnd.nextInt(4);
            String key;
            String val;
            Object expect;
            List<String> extra = new ArrayList<>();
            switch (which) {
                case 0 -> {
                    key = "k3s_version";
                    val = "v1." + (28 + rnd.nextInt(5)) + "." + rnd.nextInt(9) + "+k3s1";
                    expect = val;
                }
                case 1 -> {
                    key = "monitoring_enabled";
                    boolean b = rnd.nextBoolean();
                    val = String.valueOf(b);
                    extra.addAll(List.of("--type", "bool"));
                    expect = b;
                }
                case 2 -> {
                    key = "custom_note";
                    val = rnd.nextBoolean() ? "has: colon # and hash" : "yes";
                    expect = val;
                }
                default -> {
                    key = "replicas";
                    long n = rnd.nextInt(100);
                    val = String.valueOf(n);
                    extra.addAll(List.of("--type", "int"));
                    expect = n;
                }
            }
            List<String> args = new ArrayList<>(List.of("config-set", key, val, "--scope", scope, "--inventory", inv.toString()));
            args.addAll(extra);
            var r = cli.run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isZero();
            if (m.group.containsKey(scope) && !scope.equals("all")) {
                m.hostVars.get(scope).put(key, expect);
            } else {
                m.scopeVars.get(scope).put(key, expect);
            }
        }
    }

    @Test
    @DisplayName("Property 20: every node added via the CLI lands in the right group with its data, as Ansible reads it; "
            + "comments survive; removals and config-set agree with Ansible too")
    void property20InventoryUpdateCorrectness(@TempDir Path tmp) throws Exception {
        List<Path> inventories = new ArrayList<>();
        List<Model> models = new ArrayList<>();
        List<List<String>> comments = new ArrayList<>();
        int[] i = {0};
        Seeds.forAll("Property 20", CASES, rnd -> {
            Path dir = tmp.resolve("case" + i[0]++);
            Path inv = Fixtures.inventory(dir);
            List<String> before = commentLines(read(inv));
            CliRunner cli = new CliRunner(dir);
            Model m = new Model();
            int steps = 3 + rnd.nextInt(6);
            for (int s = 0; s < steps; s++) {
                step(rnd, m, cli, inv);
            }
            // every comment of the original file survives, in order
            List<String> after = commentLines(read(inv));
            assertThat(after).containsSubsequence(before);
            inventories.add(inv);
            models.add(m);
            comments.add(before);
        });
        JsonNode oracle = ansibleOracle(inventories);
        for (int c = 0; c < inventories.size(); c++) {
            Model m = models.get(c);
            JsonNode inv = oracle.get(inventories.get(c).toString());
            String why = "case " + c + " (" + inventories.get(c) + ")";
            for (String g : List.of("control_plane", "workers")) {
                List<String> expected = new ArrayList<>();
                m.group.forEach((h, grp) -> {
                    if (grp.equals(g)) {
                        expected.add(h);
                    }
                });
                List<String> actual = new ArrayList<>();
                inv.get("groups").get(g).forEach(n -> actual.add(n.asText()));
                assertThat(actual).as(why + " group " + g).containsExactlyInAnyOrderElementsOf(expected);
            }
            for (String h : m.group.keySet()) {
                Map<String, Object> actual = new ObjectMapper().convertValue(inv.get("hostvars").get(h), TreeMap.class);
                Map<String, Object> expected = new TreeMap<>(normal(m.effective(h)));
                expected.remove("node_labels");
                Map<String, Object> actualSubset = new TreeMap<>();
                for (String k : expected.keySet()) {
                    actualSubset.put(k, actual.get(k));
                }
                assertThat(normal(actualSubset)).as(why + " host " + h).isEqualTo(expected);
                if (m.hostVars.get(h).containsKey("node_labels")) {
                    assertThat(normal(Map.of("l", actual.get("node_labels"))))
                            .isEqualTo(normal(Map.of("l", m.hostVars.get(h).get("node_labels"))));
                }
            }
        }
    }

    @Test
    @DisplayName("Property 20: the real ansible-inventory --list agrees with what add-node wrote")
    void ansibleInventoryListAgrees(@TempDir Path tmp) throws Exception {
        Path inv = Fixtures.inventory(tmp);
        CliRunner cli = new CliRunner(tmp);
        assertThat(cli.run("add-node", "gpu-node", "100.64.0.20", "--role", "worker", "--gpu", "--reserved-cpu", "4",
                "--reserved-memory", "8Gi", "--labels", "gpu=true,workstation=true",
                "--taints", "nvidia.com/gpu=true:NoSchedule", "--inventory", inv.toString()).code()).isZero();
        Process p = new ProcessBuilder("ansible-inventory", "-i", inv.toString(), "--list").redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        JsonNode j = new ObjectMapper().readTree(out);
        assertThat(j.get("workers").get("hosts").toString()).contains("gpu-node");
        JsonNode hv = j.get("_meta").get("hostvars").get("gpu-node");
        assertThat(hv.get("tailscale_ip").asText()).isEqualTo("100.64.0.20");
        assertThat(hv.get("reserved_cpu").asText()).isEqualTo("4");
        assertThat(hv.get("gpu").asBoolean()).isTrue();
        assertThat(hv.get("node_labels").get("workstation").asText()).isEqualTo("true");
        assertThat(hv.get("node_taints").get(0).get("effect").asText()).isEqualTo("NoSchedule");
        assertThat(hv.get("k3s_version").asText()).isEqualTo("v1.28.5+k3s1");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normal(Map<String, Object> m) {
        Map<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (v instanceof Map<?, ?> mm) {
                out.put(k, normal((Map<String, Object>) mm));
            } else if (v instanceof List<?> l) {
                List<Object> nl = new ArrayList<>();
                l.forEach(x -> nl.add(x instanceof Map<?, ?> xm ? normal((Map<String, Object>) xm) : norm(x)));
                out.put(k, nl);
            } else {
                out.put(k, norm(v));
            }
        });
        return out;
    }

    private static Object norm(Object v) {
        return v instanceof Number n ? (Object) n.longValue() : v;
    }

    static JsonNode ansibleOracle(List<Path> inventories) throws IOException, InterruptedException {
        Path script = Files.createTempFile("oracle", ".py");
        Files.writeString(script, Fixtures.resource("ansible_oracle.py"));
        List<String> cmd = new ArrayList<>(List.of(Fixtures.ansiblePython(), script.toString()));
        inventories.forEach(p -> cmd.add(p.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "False");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        Files.deleteIfExists(script);
        return new ObjectMapper().readTree(out);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
