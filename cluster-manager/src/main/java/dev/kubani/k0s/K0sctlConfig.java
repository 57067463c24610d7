package dev.kubani.k0s;

import dev.kubani.core.KubaniException;
import dev.kubani.inventory.ClusterConfig;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Node;
import dev.kubani.inventory.NodeTaint;
import dev.kubani.inventory.Problem;
import dev.kubani.inventory.Role;
import dev.kubani.lab.LabNode;
import dev.kubani.lab.LabPaths;
import dev.kubani.lab.LabPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders k0sctl's cluster file (apiVersion k0sctl.k0sproject.io/v1beta1, kind Cluster) for the
 * local lab and for a real cluster on the tailnet. k0sctl itself orders the work: it installs
 * and starts the controllers before any worker joins, and creates and hands out the join
 * tokens, so the file only describes hosts and cluster settings.
 *
 * <p>The k0s version is left out unless the inventory pins {@code k0s_version}: k0sctl then
 * installs the latest stable k0s (seed 003, "Only latest k0s version will be supported").
 */
public final class K0sctlConfig {
    public static final String API_VERSION = "k0sctl.k0sproject.io/v1beta1";
    public static final String KIND = "Cluster";
    public static final String TAILSCALE_INTERFACE = "tailscale0";

    private K0sctlConfig() {
    }

    /** The lab's cluster file: one host per planned VM, reached over its static IP with the lab key. */
    public static Map<String, Object> forLab(LabPlan plan, LabPaths paths) {
        List<Object> hosts = new ArrayList<>();
        for (LabNode n : plan.nodes()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("role", n.k0sRole());
            h.put("ssh", ssh(n.ip(), plan.settings().provider().sshUser(), 22, paths.sshKey().toString()));
            h.put("privateAddress", n.ip());
            h.put("hostname", n.name());
            if (n.k0sRole().equals("controller+worker")) {
                // without this k0s taints the controller and nothing would be scheduled there
                h.put("noTaints", true);
            }
            if (n.runsWorkloads()) {
                h.put("installFlags", List.of(kubeletArgs(List.of("--node-ip=" + n.ip()))));
            }
            hosts.add(h);
        }
        Map<String, Object> k0sSpec = new LinkedHashMap<>();
        Map<String, Object> network = new LinkedHashMap<>();
        if (plan.controllers().size() > 1) {
            network.put("nodeLocalLoadBalancing", nllb());
        }
        if (!network.isEmpty()) {
            k0sSpec.put("network", network);
        }
        return cluster(LabPlan.CLUSTER_NAME, hosts, null, k0sSpec);
    }

    /**
     * The cluster file for the inventory's nodes on the tailnet. Control-plane nodes become
     * controller+worker hosts without k0s's controller taint (they run workloads, as K3s
     * servers do); workers become worker hosts. SSH goes to the Tailscale IP as
     * ansible_user/ansible_port/ansible_ssh_private_key_file say (k0sctl's defaults otherwise),
     * and k0s talks over tailscale0. node_labels, node_taints and reserved_cpu/reserved_memory
     * become k0s's --labels, --taints and kubelet --system-reserved.
     *
     * @throws KubaniException (exit 2) when the inventory has errors or does not select k0s
     */
    public static Map<String, Object> forInventory(Inventory inv) {
        return forInventory(inv, false);
    }

    /** {@link #forInventory(Inventory)}, accepting node IPs outside the tailnet ranges when asked (--allow-non-tailscale). */
    public static Map<String, Object> forInventory(Inventory inv, boolean allowNonTailscale) {
        List<Problem> errors = inv.validate(allowNonTailscale).stream().filter(Problem::isError).toList();
        if (!errors.isEmpty()) {
            throw KubaniException.invalidInput(errors.get(0) + (errors.size() > 1 ? " (and " + (errors.size() - 1)
                    + " more; see 'cluster-mgr validate')" : "") + "; fix the inventory before rendering k0sctl.yaml");
        }
        ClusterConfig cc = inv.clusterConfig();
        if (!"k0s".equals(cc.distribution())) {
            throw KubaniException.invalidInput(inv.hostsFile() + ": k8s_distribution is " + cc.distribution()
                    + ", so K3s provisions this cluster; set 'k8s_distribution: k0s' (cluster-mgr config-set k8s_distribution k0s) "
                    + "to use k0s");
        }
        List<Node> nodes = inv.nodes();
        List<Node> controllers = nodes.stream().filter(n -> n.role() == Role.CONTROL_PLANE).toList();
        if (controllers.isEmpty()) {
            throw KubaniException.invalidInput(inv.hostsFile() + ": no host in control_plane; k0s needs at least one controller "
                    + "(cluster-mgr add-node NAME IP --role control-plane)");
        }
        List<Object> hosts = new ArrayList<>();
        for (Node n : nodes) {
            Map<String, Object> vars = inv.effectiveVars(n.hostname());
            boolean cp = n.role() == Role.CONTROL_PLANE;
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("role", cp ? "controller+worker" : "worker");
            h.put("ssh", ssh(n.tailscaleIp(), str(vars.get("ansible_user")), port(inv, n.hostname(), vars.get("ansible_port")),
                    str(vars.get("ansible_ssh_private_key_file"))));
            h.put("privateInterface", TAILSCALE_INTERFACE);
            h.put("privateAddress", n.tailscaleIp());
            h.put("hostname", n.hostname());
            if (cp) {
                h.put("noTaints", true);
            }
            h.put("installFlags", workerFlags(n));
            hosts.add(h);
        }
        Map<String, Object> k0sSpec = new LinkedHashMap<>();
        Map<String, Object> api = new LinkedHashMap<>();
        List<String> sans = new ArrayList<>();
        for (Node c : controllers) {
            sans.add(c.tailscaleIp());
            sans.add(c.hostname());
        }
        api.put("sans", sans);
        k0sSpec.put("api", api);
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("podCIDR", cc.clusterCidr());
        network.put("serviceCIDR", cc.serviceCidr());
        network.put("clusterDomain", cc.clusterDomain());
        if (controllers.size() > 1) {
            network.put("nodeLocalLoadBalancing", nllb());
        }
        k0sSpec.put("network", network);
        Object version = inv.groupVars("all").get("k0s_version");
        return cluster(cc.clusterName(), hosts, version == null ? null : String.valueOf(version), k0sSpec);
    }

    /**
     * The cluster file for taking {@code host} out of the cluster: exactly what
     * {@link #forInventory(Inventory, boolean)} renders, with that host's entry marked
     * {@code reset: true}. {@code k0sctl apply} of it (k0sctl 0.13 and later) drains the node
     * (unless --no-drain), deletes its Node object, for a controller takes its member out of
     * etcd ({@code k0s etcd leave}), and resets k0s on the host; the other hosts are left as they
     * are. k0sctl chooses its leader among the controllers not being reset.
     *
     * @throws KubaniException (exit 2) when the host is not in the inventory, or is its only
     *                         control-plane node (k0sctl refuses to reset every controller: that
     *                         is 'k0sctl reset' of the whole cluster)
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> forRemoval(Inventory inv, String host, boolean allowNonTailscale) {
        Inventory.Host h = inv.host(host);
        if (h == null) {
            throw KubaniException.invalidInput("host '" + host + "' is not in " + inv.hostsFile()
                    + "; list the hosts with 'cluster-mgr validate' or 'cluster-mgr discover'");
        }
        Map<String, Object> doc = forInventory(inv, allowNonTailscale);
        List<Node> controllers = inv.nodes().stream().filter(n -> n.role() == Role.CONTROL_PLANE).toList();
        if (controllers.size() == 1 && controllers.get(0).hostname().equals(host)) {
            throw KubaniException.invalidInput(host + " is the only control-plane node in " + inv.hostsFile()
                    + ": removing it would leave no controller and break the cluster; add another control-plane node first "
                    + "(cluster-mgr add-node NAME IP --role control-plane --provision), or to tear the whole cluster down "
                    + "run 'k0sctl reset' on a k0sctl.yaml from 'cluster-mgr k0sctl render'");
        }
        int marked = 0;
        for (Object o : (List<Object>) ((Map<String, Object>) doc.get("spec")).get("hosts")) {
            Map<String, Object> entry = (Map<String, Object>) o;
            if (host.equals(entry.get("hostname"))) {
                entry.put("reset", true);
                marked++;
            }
        }
        if (marked != 1) {
            throw new IllegalStateException("k0sctl.yaml has " + marked + " entries for " + host);
        }
        return doc;
    }

    /** k0s worker flags for a node: --labels, --taints and kubelet's --node-ip and --system-reserved. */
    static List<String> workerFlags(Node n) {
        List<String> flags = new ArrayList<>();
        if (!n.nodeLabels().isEmpty()) {
            flags.add("--labels=" + n.nodeLabels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(",")));
        }
        if (!n.nodeTaints().isEmpty()) {
            flags.add("--taints=" + n.nodeTaints().stream().map(NodeTaint::toString).collect(Collectors.joining(",")));
        }
        List<String> kubelet = new ArrayList<>();
        kubelet.add("--node-ip=" + n.tailscaleIp());
        List<String> reserved = new ArrayList<>();
        if (n.reservedCpu() != null) {
            reserved.add("cpu=" + n.reservedCpu());
        }
        if (n.reservedMemory() != null) {
            reserved.add("memory=" + n.reservedMemory());
        }
        if (!reserved.isEmpty()) {
            kubelet.add("--system-reserved=" + String.join(",", reserved));
        }
        flags.add(kubeletArgs(kubelet));
        return flags;
    }

    private static String kubeletArgs(List<String> args) {
        return "--kubelet-extra-args=\"" + String.join(" ", args) + "\"";
    }

    private static Map<String, Object> nllb() {
        // workers balance API traffic over all controllers themselves: there is no external
        // load balancer in the lab (seed 003 non-goal), and none can work on an L3 tailnet
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", true);
        m.put("type", "EnvoyProxy");
        return m;
    }

    private static Map<String, Object> ssh(String address, String user, int port, String keyPath) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", address);
        if (user != null) {
            m.put("user", user);
        }
        m.put("port", port);
        if (keyPath != null) {
            m.put("keyPath", keyPath);
        }
        return m;
    }

    private static Map<String, Object> cluster(String name, List<Object> hosts, String version, Map<String, Object> k0sSpec) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", KIND);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        doc.put("metadata", meta);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("hosts", hosts);
        Map<String, Object> k0s = new LinkedHashMap<>();
        if (version != null) {
            k0s.put("version", version);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "k0s.k0sproject.io/v1beta1");
        config.put("kind", "ClusterConfig");
        config.put("metadata", Map.of("name", name));
        if (!k0sSpec.isEmpty()) {
            config.put("spec", k0sSpec);
        }
        k0s.put("config", config);
        spec.put("k0s", k0s);
        doc.put("spec", spec);
        return doc;
    }

    /** The document as YAML, after a comment saying where it came from. */
    public static String toYaml(Map<String, Object> doc, String header) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        o.setSplitLines(false);
        StringBuilder sb = new StringBuilder();
        for (String line : header.split("\n")) {
            sb.append("# ").append(line).append('\n');
        }
        sb.append(new Yaml(o).dump(doc));
        return sb.toString();
    }

    private static int port(Inventory inv, String host, Object port) {
        if (port == null) {
            return 22;
        }
        String p = String.valueOf(port).trim();
        if (p.chars().allMatch(Character::isDigit) && !p.isEmpty() && p.length() <= 5 && Integer.parseInt(p) >= 1
                && Integer.parseInt(p) <= 65535) {
            return Integer.parseInt(p);
        }
        throw KubaniException.invalidInput(inv.hostsFile() + ": " + host + ".ansible_port '" + p
                + "' is not a TCP port; use a number from 1 to 65535");
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
