package dev.kubani.cli.node;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Term;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.InventoryEditor;
import dev.kubani.inventory.InventoryStore;
import dev.kubani.inventory.Node;
import dev.kubani.inventory.NodeTaint;
import dev.kubani.inventory.Problem;
import dev.kubani.inventory.Role;
import dev.kubani.inventory.Rules;
import dev.kubani.tailscale.Discovery;
import dev.kubani.tailscale.Peer;
import dev.kubani.tailscale.TailnetStatus;
import dev.kubani.tailscale.TailscaleClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cluster-mgr add-node}: puts a machine into the control_plane or workers group (Property 20). */
@Command(name = "add-node", description = {"Add a machine to the inventory as a control plane or worker.",
    "When IP is omitted, the machine's Tailscale IP is looked up on the tailnet."})
public final class AddNodeCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Host name (also the Kubernetes node name).")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IP", description = "Tailscale IP (default: from discovery).")
    String ip;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "control-plane or worker.")
    String role;

    @Option(names = "--gpu", description = "The machine has an NVIDIA GPU.")
    boolean gpu;

    @Option(names = "--reserved-cpu", paramLabel = "QTY", description = "CPU kept for local use, e.g. 2 or 500m.")
    String reservedCpu;

    @Option(names = "--reserved-memory", paramLabel = "QTY", description = "Memory kept for local use, e.g. 4Gi.")
    String reservedMemory;

    @Option(names = "--labels", paramLabel = "K=V[,K=V...]", description = "Kubernetes labels, e.g. \"gpu=true,workstation=true\".")
    String labels;

    @Option(names = "--taints", paramLabel = "K=V:EFFECT[,...]", description = "Taints, e.g. \"nvidia.com/gpu=true:NoSchedule\".")
    String taints;

    @Option(names = "--ansible-host", paramLabel = "ADDR", description = "SSH address if not the Tailscale IP (e.g. a MagicDNS name).")
    String ansibleHost;

    @Option(names = "--allow-non-tailscale", description = "Accept an IP outside the tailnet ranges.")
    boolean allowNonTailscale;

    @Option(names = "--status-file", paramLabel = "FILE", description = "Saved 'tailscale status --json' for the IP "
            + "lookup and the tailnet check.")
    Path statusFile;

    @Option(names = "--provision", description = "Then provision only this node (add_node.yml, limited to it and the "
            + "first server that hands out the token) and wait until it is Ready.")
    boolean provision;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "300s",
            description = "With --provision: how long to wait for the node to be Ready (default: ${DEFAULT-VALUE}).")
    String readyTimeout;

    @Override
    protected int execute() throws Exception {
        Node node = buildNode();
        Path inv = root().inventoryPath();
        java.time.Duration timeout = dev.kubani.cli.provision.ProvisionFlags.duration(readyTimeout, "--ready-timeout");
        Path home = provision ? root().home() : null;
        Path playbook = home == null ? null : home.resolve("ansible/playbooks/add_node.yml");
        if (playbook != null && !java.nio.file.Files.isRegularFile(playbook)) {
            throw KubaniException.unexpectedState("the playbook " + playbook + " is missing from the Kubani checkout; "
                    + "restore it ('git checkout -- ansible/playbooks')");
        }
        InventoryStore.Result r = InventoryStore.update(inv, allowNonTailscale, i -> InventoryEditor.addNode(i, node));
        Map<String, Object> vars = node.toInventoryVars();
        if (!Printer.structured(root(), result(inv, node, vars, r.warnings()))) {
            Term t = term();
            t.info(t.green("added ") + t.bold(node.hostname()) + " to " + node.role().group() + " in " + inv + ":");
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put(node.hostname(), vars);
            for (String line : dev.kubani.inventory.YamlDoc.render(shown).split("\n")) {
                t.info("  " + t.green("+ " + line));
            }
            for (Problem w : r.warnings()) {
                t.warn(w.toString());
            }
            if (!provision) {
                t.info(t.dim("next: cluster-mgr provision --limit " + node.hostname()));
            }
        }
        if (!provision) {
            return 0;
        }
        return provisionNode(home, playbook, inv, node, r, timeout);
    }

    /**
     * Provisions only the new node with add_node.yml (Property 7: the same plays and roles), then
     * waits until it is Ready (Property 10). The limit keeps the first server in scope because it
     * hands out the join token, and localhost because add_node.yml selects its hosts there.
     */
    private int provisionNode(Path home, Path playbook, Path inv, Node node, InventoryStore.Result r,
                              java.time.Duration timeout) throws Exception {
        String first = null;
        for (Node n : r.after().nodes()) {
            if (n.role() == Role.CONTROL_PLANE) {
                first = n.hostname();
                break;
            }
        }
        String limit = node.hostname() + (first == null || first.equals(node.hostname()) ? "" : "," + first) + ",localhost";
        String nodeVar = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("node", node.hostname()));
        dev.kubani.provision.ProvisionOptions o = new dev.kubani.provision.ProvisionOptions(home, inv, playbook, limit,
                null, null, List.of(nodeVar), false, root().verbosity(), false, true, timeout, statusFile,
                allowNonTailscale);
        try {
            return dev.kubani.cli.provision.Provisioning.run(root(), o);
        } catch (KubaniException e) {
            throw new KubaniException(e.exitCode(), e.getMessage() + " (" + node.hostname() + " stays in the inventory; "
                    + "fix the cause and run 'cluster-mgr provision --playbook add_node.yml -e node=" + node.hostname()
                    + "', or take it out with 'cluster-mgr remove-node " + node.hostname() + "')");
        }
    }

    private static Map<String, Object> result(Path inv, Node n, Map<String, Object> vars, List<Problem> warnings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "added");
        m.put("host", n.hostname());
        m.put("group", n.role().group());
        m.put("inventory", inv.toString());
        m.put("vars", vars);
        m.put("warnings", warnings.stream().map(Problem::toString).toList());
        return m;
    }

    private Node buildNode() {
        String err = Rules.hostname(name);
        if (err != null) {
            throw KubaniException.invalidInput("NAME: " + err);
        }
        Role r = Role.parse(role);
        if (r == null) {
            throw KubaniException.invalidInput("--role: '" + role + "' is not a role; use control-plane or worker");
        }
        String tsIp = ip;
        if (tsIp == null) {
            tsIp = lookUpIp();
        }
        err = Rules.tailscaleIp(tsIp, allowNonTailscale);
        if (err != null) {
            throw KubaniException.invalidInput("IP: " + err);
        }
        if (ansibleHost != null && (err = Rules.address(ansibleHost)) != null) {
            throw KubaniException.invalidInput("--ansible-host: " + err);
        }
        if (reservedCpu != null && (err = Rules.quantity(reservedCpu)) != null) {
            throw KubaniException.invalidInput("--reserved-cpu: " + err);
        }
        if (reservedMemory != null && (err = Rules.quantity(reservedMemory)) != null) {
            throw KubaniException.invalidInput("--reserved-memory: " + err);
        }
        return new Node(name, ansibleHost, tsIp, r, reservedCpu, reservedMemory, gpu, parseLabels(labels),
                parseTaints(taints));
    }

    private String lookUpIp() {
        TailnetStatus status;
        try {
            status = new TailscaleClient(root().env().vars()).status(statusFile);
        } catch (KubaniException e) {
            throw new KubaniException(e.exitCode(), "no IP given and the tailnet cannot be read: " + e.getMessage()
                    + "; or pass the IP: cluster-mgr add-node " + name + " IP --role " + role);
        }
        Peer p = Discovery.find(status, name);
        if (p == null || p.ipv4() == null && p.ipv6() == null) {
            throw KubaniException.invalidInput("NAME: no machine called '" + name + "' on the tailnet; check "
                    + "'cluster-mgr discover', or pass its IP: cluster-mgr add-node " + name + " IP --role " + role);
        }
        return p.ipv4() != null ? p.ipv4() : p.ipv6();
    }

    static Map<String, String> parseLabels(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String part : s.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw KubaniException.invalidInput("--labels: '" + p + "' is not key=value; write e.g. --labels \"tier=frontend,env=production\"");
            }
            String k = p.substring(0, eq).trim();
            String v = p.substring(eq + 1).trim();
            String err = Rules.labelKey(k);
            if (err == null) {
                err = Rules.labelValue(v);
            }
            if (err != null) {
                throw KubaniException.invalidInput("--labels: " + err);
            }
            if (out.put(k, v) != null) {
                throw KubaniException.invalidInput("--labels: key '" + k + "' is given twice");
            }
        }
        return out;
    }

    static List<NodeTaint> parseTaints(String s) {
        List<NodeTaint> out = new ArrayList<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String part : s.split(",")) {
            NodeTaint t = NodeTaint.parse(part.trim());
            if (t == null) {
                throw KubaniException.invalidInput("--taints: '" + part.trim() + "' is not key=value:Effect; write e.g. "
                        + "--taints \"nvidia.com/gpu=true:NoSchedule\"");
            }
            String err = Rules.taint(t);
            if (err != null) {
                throw KubaniException.invalidInput("--taints: " + err);
            }
            out.add(t);
        }
        return out;
    }

}
