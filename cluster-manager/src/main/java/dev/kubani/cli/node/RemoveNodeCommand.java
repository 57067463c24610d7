package dev.kubani.cli.node;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Prompt;
import dev.kubani.cli.provision.ProvisionFlags;
import dev.kubani.cli.provision.Provisioning;
import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Role;
import dev.kubani.k0s.K0sctl;
import dev.kubani.k0s.K0sctlConfig;
import dev.kubani.provision.Cancellation;
import dev.kubani.provision.Console;
import dev.kubani.provision.DeleteNodePhase;
import dev.kubani.provision.DrainNodePhase;
import dev.kubani.provision.K0sctlResetNodePhase;
import dev.kubani.provision.NodeRemoval;
import dev.kubani.provision.PhaseContext;
import dev.kubani.provision.PhaseManager;
import dev.kubani.provision.RemoveFromInventoryPhase;
import dev.kubani.provision.UninstallNodePhase;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cluster-mgr remove-node}: drain the node, delete the Node, run remove_node.yml for the
 * host, then edit the inventory. With k8s_distribution: k0s, after the drain, k0sctl apply of
 * the inventory's k0sctl.yaml with the host marked reset: true takes the place of the delete and
 * the playbook. When the cluster side fails the inventory is left as it was, unless --force.
 */
@Command(name = "remove-node", description = {"Remove a node: drain it, delete the Node, uninstall K3s on the host "
        + "(remove_node.yml), then take it out of the inventory.",
    "With k8s_distribution: k0s, after the drain 'k0sctl apply' of the inventory's k0sctl.yaml with the host marked "
        + "'reset: true' deletes the Node, takes a controller out of etcd and resets k0s on the host; the only "
        + "control-plane node is never removed.",
    "If the cluster side fails, the inventory is left as it was unless --force.",
    "Exit codes: 0 removed, 1 a step failed, 2 bad input (or the only control plane), 3 API not reachable or k0sctl "
        + "missing, 130 stopped by Ctrl-C."})
public final class RemoveNodeCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Host name as in the inventory.")
    String name;

    @Option(names = "--no-drain", description = "Do not drain the node before removing it (k0s: k0sctl does not drain "
            + "it either).")
    boolean noDrain;

    @Option(names = "--force", description = "Do not ask for confirmation, and remove the node from the inventory even "
            + "when draining, deleting or uninstalling fails (k0s: when k0sctl apply fails), or the API is unreachable. "
            + "Never removes the only control-plane node of a k0s cluster.")
    boolean force;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "300s",
            description = "How long to wait for pods to evict (default: ${DEFAULT-VALUE}).")
    String drainTimeout;

    @Override
    protected int execute() throws Exception {
        Path invPath = root().inventoryPath();
        Inventory inv = Inventory.load(invPath);
        Inventory.Host h = inv.host(name);
        if (h == null) {
            throw KubaniException.invalidInput("host '" + name + "' is not in " + invPath
                    + "; list the hosts with 'cluster-mgr validate' or 'cluster-mgr discover'");
        }
        var timeout = ProvisionFlags.duration(drainTimeout, "--drain-timeout");
        Path home = root().home();
        boolean k0s = "k0s".equals(inv.clusterConfig().distribution());
        Map<String, Object> k0sctlDoc = null;
        Path k0sctl = null;
        if (k0s) {
            // refusals (the only controller, an inventory that does not render, no k0sctl) come before the question
            k0sctlDoc = K0sctlConfig.forRemoval(inv, name, true);
            k0sctl = K0sctl.locate(root().env().vars());
            if (k0sctl == null) {
                throw KubaniException.unexpectedState("k0sctl is not installed on this machine ('k0sctl' not found on PATH), "
                        + "and " + invPath + " sets k8s_distribution: k0s, where k0sctl removes nodes; nothing was changed: "
                        + K0sctl.INSTALL_HINT);
            }
        }
        Console console = Provisioning.console(root());
        if (k0s) {
            long cps = inv.nodes().stream().filter(n -> n.role() == Role.CONTROL_PLANE).count();
            boolean cp = h.groups().contains(Role.CONTROL_PLANE.group());
            long left = cp ? cps - 1 : cps;
            if (cp && left > 1 && left % 2 == 0) {
                console.warn("after " + name + " leaves, " + left + " control-plane nodes remain: etcd needs a majority, "
                        + "so " + left + " tolerate no more failures than " + (left - 1) + "; add one or remove one more");
            }
        }
        if (!force) {
            Object ip = h.vars().get("tailscale_ip");
            String q = "Remove " + name + " (" + String.join(", ", h.groups()) + (ip == null ? "" : ", " + ip)
                    + ") from the cluster" + (noDrain ? " without draining it" : "")
                    + (k0s ? ", reset k0s on it (k0sctl apply with reset: true)," : "") + " and from " + invPath + "?";
            if (!Prompt.confirm(root().env(), term(), q)) {
                term().info("aborted: nothing changed");
                return ExitCode.FAILED;
            }
        }
        Cancellation cancel = new Cancellation();
        PhaseContext ctx = new PhaseContext(console, false, cancel);
        try (NodeRemoval r = new NodeRemoval(name, inv.clusterConfig().clusterName(), home, invPath, root().env().vars(),
                !noDrain, force, timeout, root().verbosity());
             AutoCloseable sig = cancel.onInterrupt()) {
            if (k0s) {
                r.k0s(inv, k0sctl, k0sctlDoc);
            }
            ctx.put(NodeRemoval.class, r);
            PhaseManager phases = new PhaseManager().add(new DrainNodePhase());
            if (k0s) {
                phases.add(new K0sctlResetNodePhase());
            } else {
                phases.add(new DeleteNodePhase()).add(new UninstallNodePhase());
            }
            phases.add(new RemoveFromInventoryPhase()).run(ctx);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("event", "removed");
            data.put("host", name);
            data.put("groups", h.groups());
            data.put("inventory", invPath.toString());
            data.put("drained", !noDrain && r.drained());
            data.put("nodeDeleted", r.deleted());
            data.put("uninstalled", r.uninstalled());
            data.put("forcedPast", r.forced());
            if (k0s) {
                data.put("distribution", "k0s");
                data.put("k0sctlExit", r.k0sctlExit());
                data.put("k0sctlConfig", r.k0sctlConfig() == null ? null : r.k0sctlConfig().toString());
                data.put("log", r.runDir() == null ? null : r.runDir().resolve("stdout").toString());
            }
            if (console.json()) {
                console.json(data);
            } else if (!Printer.structured(root(), data)) {
                term().info(term().green("removed ") + term().bold(name) + (r.forced().isEmpty() ? ""
                        : " (with --force; check the warnings above)"));
            }
        }
        return ExitCode.OK;
    }
}
