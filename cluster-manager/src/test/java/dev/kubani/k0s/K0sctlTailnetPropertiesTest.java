package dev.kubani.k0s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.inventory.Inventory;
import dev.kubani.testutil.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Properties of the k0sctl.yaml rendered for a random k0s inventory on the tailnet. */
class K0sctlTailnetPropertiesTest {

    @Test
    @DisplayName("Property 2: Tailscale IP configuration consistency (k0s: ssh, privateAddress, node-ip and SANs use Tailscale IPs)")
    void property2(@TempDir Path dir) {
        Seeds.forAll("Property 2: Tailscale IP configuration consistency", 100, r -> {
            int cps = 1 + r.nextInt(3);
            int workers = r.nextInt(5);
            StringBuilder cp = new StringBuilder();
            StringBuilder wk = new StringBuilder();
            Set<String> used = new HashSet<>();
            Map<String, String> ipOf = new java.util.HashMap<>();
            for (int i = 0; i < cps + workers; i++) {
                String ip;
                do {
                    ip = "100." + (64 + r.nextInt(64)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
                } while (!used.add(ip));
                String name = (i < cps ? "cp" : "w") + i;
                ipOf.put(name, ip);
                StringBuilder sb = i < cps ? cp : wk;
                // ansible_host may be a MagicDNS name: k0s must still use the Tailscale IP
                String ah = r.nextBoolean() ? ip : name + ".tail0.ts.net";
                sb.append("        ").append(name).append(":\n          ansible_host: ").append(ah)
                        .append("\n          tailscale_ip: ").append(ip).append('\n');
                if (r.nextBoolean()) {
                    sb.append("          reserved_cpu: \"").append(1 + r.nextInt(4)).append("\"\n");
                }
            }
            String text = "all:\n  vars:\n    k8s_distribution: k0s\n  children:\n    control_plane:\n      hosts:\n" + cp
                    + "    workers:\n" + (workers == 0 ? "      hosts: {}\n" : "      hosts:\n" + wk);
            Path d = dir.resolve("case" + r.nextLong());
            try {
                Files.createDirectories(d);
                Files.writeString(d.resolve("hosts.yml"), text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> doc = K0sctlConfig.forInventory(Inventory.load(d.resolve("hosts.yml")));
            List<Map<String, Object>> hosts = K0sctlConfigTest.hosts(doc);
            assertThat(hosts).hasSize(cps + workers);
            for (Map<String, Object> h : hosts) {
                String ip = ipOf.get((String) h.get("hostname"));
                assertThat(K0sctlConfigTest.at(h, "ssh")).containsEntry("address", ip);
                assertThat(h).containsEntry("privateAddress", ip).containsEntry("privateInterface", "tailscale0");
                String flags = String.join(" ", castList(h.get("installFlags")));
                assertThat(flags).containsPattern("--node-ip=" + java.util.regex.Pattern.quote(ip) + "[\" ]");
                assertThat(flags.split("--node-ip=", -1)).hasSize(2);
            }
            List<String> sans = castList(K0sctlConfigTest.at(doc, "spec", "k0s", "config", "spec", "api").get("sans"));
            for (int i = 0; i < cps; i++) {
                assertThat(sans).contains(ipOf.get("cp" + i));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }
}
