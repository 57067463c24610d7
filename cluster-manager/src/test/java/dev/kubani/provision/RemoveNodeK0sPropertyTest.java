package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.ansible.AnsibleHome;
import dev.kubani.testutil.CliRunner;
import dev.kubani.testutil.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property 20 for remove-node on k0s: for seeded inventories (1 to 3 control planes, 0 to 5
 * workers, comments and host vars here and there), a seeded departing host and a seeded k0sctl
 * outcome (the stand-in {@link K0sctlStandIn}, a shell script named k0sctl, not k0sctl), the
 * inventory file afterwards is exactly the file before without that host's entry when the
 * removal succeeded or --force was given, and byte-for-byte the file before otherwise; the only
 * control plane is never removed; the file k0sctl got lists every host and marks exactly the
 * departing one reset: true. --no-drain keeps the API out of it (the drain has its own tests).
 */
class RemoveNodeK0sPropertyTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("Property 20: Inventory update correctness (remove-node on k0s changes the inventory only when k0sctl "
            + "removed the host, or with --force)")
    void property20() throws IOException {
        AnsibleHome home = new AnsibleHome(tmp);
        K0sctlStandIn k0sctl = new K0sctlStandIn(tmp);
        CliRunner base = new CliRunner(tmp).env("KUBANI_HOME", home.home.toString())
                .env("KUBANI_ARTIFACTS", home.artifacts.toString()).env("PATH", k0sctl.path());
        int[] n = {0};
        Seeds.forAll("Property 20: Inventory update correctness", 100, rnd -> {
            try {
                outcomes.merge(oneCase(rnd, home, k0sctl, base, n[0]++), 1, Integer::sum);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // the seeds reach every branch: refused, removed, removed past a failure with --force, kept after a failure
        assertThat(outcomes.keySet()).as(outcomes.toString()).containsExactlyInAnyOrder("refused", "removed", "forced",
                "kept");
    }

    private final Map<String, Integer> outcomes = new java.util.TreeMap<>();

    record Generated(String text, List<String> hosts, List<String> controllers) {
    }

    static Generated inventory(Random rnd) {
        int cps = 1 + rnd.nextInt(3);
        int workers = rnd.nextInt(6);
        List<String> hosts = new ArrayList<>();
        List<String> controllers = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        if (rnd.nextBoolean()) {
            sb.append("# inventory ").append(rnd.nextInt(1000)).append('\n');
        }
        sb.append("all:\n  vars:\n    cluster_name: c").append(rnd.nextInt(100)).append('\n')
                .append("    k8s_distribution: k0s").append(rnd.nextBoolean() ? "  # k0sctl\n" : "\n")
                .append("  children:\n    control_plane:\n      hosts:\n");
        int ip = 1 + rnd.nextInt(50);
        for (int i = 0; i < cps; i++) {
            String name = "cp" + i + "-" + Integer.toString(rnd.nextInt(1 << 16), 36);
            host(sb, rnd, name, ip++);
            hosts.add(name);
            controllers.add(name);
        }
        sb.append("    workers:\n      hosts:\n");
        for (int i = 0; i < workers; i++) {
            String name = "w" + i + "-" + Integer.toString(rnd.nextInt(1 << 16), 36);
            host(sb, rnd, name, ip++);
            hosts.add(name);
        }
        return new Generated(sb.toString(), hosts, controllers);
    }

    private static void host(StringBuilder sb, Random rnd, String name, int ip) {
        if (rnd.nextInt(3) == 0) {
            sb.append("        # about ").append(name).append('\n');
        }
        sb.append("        ").append(name).append(":\n");
        sb.append("          tailscale_ip: 100.64.").append(ip / 200).append('.').append(ip % 200 + 1)
                .append(rnd.nextInt(3) == 0 ? "   # wired\n" : "\n");
        if (rnd.nextBoolean()) {
            sb.append("          reserved_cpu: \"").append(1 + rnd.nextInt(3)).append("\"\n");
        }
        if (rnd.nextInt(3) == 0) {
            sb.append("          node_labels:\n            tier: t").append(rnd.nextInt(9)).append('\n');
        }
    }

    String oneCase(Random rnd, AnsibleHome home, K0sctlStandIn k0sctl, CliRunner base, int n) throws IOException {
        Generated g = inventory(rnd);
        Path inv = home.write("inventory/case-" + n + "/hosts.yml", g.text());
        String victim = g.hosts().get(rnd.nextInt(g.hosts().size()));
        boolean ok = rnd.nextInt(3) > 0;
        boolean force = rnd.nextBoolean();
        Files.deleteIfExists(k0sctl.argsFile);
        Files.deleteIfExists(k0sctl.configCopy);
        List<String> args = new ArrayList<>(List.of("--inventory", inv.toString(), "remove-node", victim, "--no-drain"));
        if (force) {
            args.add("--force");
        }
        CliRunner.Result r = base.env("STANDIN_MODE", ok ? "ok" : "resetfail").stdin(force ? "" : "y\n")
                .run(args.toArray(String[]::new));
        String after = Files.readString(inv);
        String context = "victim " + victim + ", k0sctl " + (ok ? "ok" : "fails") + (force ? ", --force" : "") + "\n"
                + g.text() + "\n" + r;
        if (g.controllers().size() == 1 && g.controllers().get(0).equals(victim)) {
            assertThat(r.code()).as(context).isEqualTo(2);
            assertThat(r.err()).as(context).contains("only control-plane node");
            assertThat(after).as(context).isEqualTo(g.text());
            assertThat(k0sctl.argsFile).as(context).doesNotExist();
            return "refused";
        }
        String applied = Files.readString(k0sctl.configCopy);
        List<Map<String, Object>> hosts = RemoveNodeK0sTest.hosts(applied);
        assertThat(hosts).as(context).extracting(h -> h.get("hostname")).containsExactlyElementsOf(g.hosts());
        assertThat(hosts).as(context).filteredOn(h -> h.containsKey("reset")).singleElement()
                .satisfies(h -> {
                    assertThat(h.get("hostname")).isEqualTo(victim);
                    assertThat(h.get("reset")).isEqualTo(true);
                });
        if (ok || force) {
            assertThat(r.code()).as(context).isZero();
            assertThat(after).as(context).isEqualTo(RemoveNodeK0sTest.without(g.text(), victim));
            assertThat(after).as(context).doesNotContain(victim + ":");
            for (String h : g.hosts()) {
                if (!h.equals(victim)) {
                    assertThat(after).as(context).contains(h + ":");
                }
            }
            return ok ? "removed" : "forced";
        } else {
            assertThat(r.code()).as(context).isEqualTo(1);
            assertThat(r.err()).as(context).contains(" on " + victim + " (").contains("in phase 'Reset ")
                    .contains("the inventory was not changed");
            assertThat(after).as(context).isEqualTo(g.text());
            return "kept";
        }
    }
}
