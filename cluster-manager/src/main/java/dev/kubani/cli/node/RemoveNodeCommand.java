package dev.kubani.cli.node;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Prompt;
import dev.kubani.cli.Term;
import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.InventoryEditor;
import dev.kubani.inventory.InventoryStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cluster-mgr remove-node}: takes a machine out of the inventory. */
@Command(name = "remove-node", description = "Remove a node from the inventory (asks first unless --force).")
public final class RemoveNodeCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Host name as in the inventory.")
    String name;

    @Option(names = "--no-drain", description = "Do not drain the node before removing it.")
    boolean noDrain;

    @Option(names = "--force", description = "Do not ask for confirmation.")
    boolean force;

    @Override
    protected int execute() {
        Path invPath = root().inventoryPath();
        Inventory inv = Inventory.load(invPath);
        Inventory.Host h = inv.host(name);
        if (h == null) {
            throw KubaniException.invalidInput("host '" + name + "' is not in " + invPath
                    + "; list the hosts with 'cluster-mgr validate' or 'cluster-mgr discover'");
        }
        if (!force) {
            Object ip = h.vars().get("tailscale_ip");
            String q = "Remove " + name + " (" + String.join(", ", h.groups()) + (ip == null ? "" : ", " + ip)
                    + ") from " + invPath + "?";
            if (!Prompt.confirm(root().env(), term(), q)) {
                term().info("aborted: nothing changed");
                return ExitCode.FAILED;
            }
        }
        InventoryStore.Result r = InventoryStore.update(invPath, true, i -> InventoryEditor.removeNode(i, name));
        String note = "only the inventory changed: " + name + " was not "
                + (noDrain ? "" : "drained or ") + "deleted from the running cluster, and K3s was not uninstalled "
                + "on it. Until cluster-side removal lands, run: kubectl drain " + name
                + " --ignore-daemonsets --delete-emptydir-data && kubectl delete node " + name;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", "removed");
        data.put("host", name);
        data.put("groups", h.groups());
        data.put("inventory", invPath.toString());
        data.put("clusterChanged", false);
        data.put("note", note);
        if (!Printer.structured(root(), data)) {
            Term t = term();
            t.info(t.green("removed ") + t.bold(name) + " from " + String.join(", ", h.groups()) + " in " + invPath);
            t.warn(note);
        }
        return 0;
    }
}
