package dev.kubani.cli.node;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Prompt;
import dev.kubani.cli.provision.ProvisionFlags;
import dev.kubani.cli.provision.Provisioning;
import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.provision.Cancellation;
import dev.kubani.provision.Console;
import dev.kubani.provision.DeleteNodePhase;
import dev.kubani.provision.DrainNodePhase;
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
 * host, then edit the inventory. When the cluster side fails the inventory is left as it was,
 * unless --force.
 */
@Command(name = "remove-node", description = {"Remove a node: drain it, delete the Node, uninstall K3s on the host "
        + "(remove_node.yml), then take it out of the inventory.",
    "If the cluster side fails, the inventory is left as it was unless --force.",
    "Exit codes: 0 removed, 1 a step failed, 2 bad input, 3 API not reachable, 130 stopped by Ctrl-C."})
public final class RemoveNodeCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Host name as in the inventory.")
    String name;

    @Option(names = "--no-drain", description = "Do not drain the node before removing it.")
    boolean noDrain;

    @Option(names = "--force", description = "Do not ask for confirmation, and remove the node from the inventory even "
            + "when draining, deleting or uninstalling fails (or the API is unreachable).")
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
        if (!force) {
            Object ip = h.vars().get("tailscale_ip");
            String q = "Remove " + name + " (" + String.join(", ", h.groups()) + (ip == null ? "" : ", " + ip)
                    + ") from the cluster" + (noDrain ? " without draining it" : "") + " and from " + invPath + "?";
            if (!Prompt.confirm(root().env(), term(), q)) {
                term().info("aborted: nothing changed");
                return ExitCode.FAILED;
            }
        }
        Console console = Provisioning.console(root());
        Cancellation cancel = new Cancellation();
        PhaseContext ctx = new PhaseContext(console, false, cancel);
        try (NodeRemoval r = new NodeRemoval(name, inv.clusterConfig().clusterName(), home, invPath, root().env().vars(),
                !noDrain, force, timeout, root().verbosity());
             AutoCloseable sig = cancel.onInterrupt()) {
            ctx.put(NodeRemoval.class, r);
            new PhaseManager().add(new DrainNodePhase()).add(new DeleteNodePhase()).add(new UninstallNodePhase())
                    .add(new RemoveFromInventoryPhase()).run(ctx);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("event", "removed");
            data.put("host", name);
            data.put("groups", h.groups());
            data.put("inventory", invPath.toString());
            data.put("drained", !noDrain && r.drained());
            data.put("nodeDeleted", r.deleted());
            data.put("uninstalled", r.uninstalled());
            data.put("forcedPast", r.forced());
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
