package dev.kubani.cli.node;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.OutputFormat;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Table;
import dev.kubani.cli.Term;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.tailscale.Discovery;
import dev.kubani.tailscale.Peer;
import dev.kubani.tailscale.TailnetStatus;
import dev.kubani.tailscale.TailscaleClient;
import dev.kubani.util.Times;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cluster-mgr discover}: the tailnet's machines and their cluster membership (Property 19). */
@Command(name = "discover", description = "Discover Tailscale machines available for cluster membership.")
public final class DiscoverCommand extends BaseCommand {
    @Option(names = "--online-only", description = "Show only machines that are online.")
    boolean onlineOnly;

    @Option(names = "--filter", paramLabel = "GLOB", description = "Only names matching this glob, e.g. \"gpu-*\".")
    String filter;

    @Option(names = "--no-cluster-status", description = "Hide the cluster membership column.")
    boolean noClusterStatus;

    @Option(names = "--status-file", paramLabel = "FILE",
            description = "Read a saved 'tailscale status --json' instead of asking tailscaled ('-' for stdin).")
    Path statusFile;

    /** The inventory for membership, or null with a note saying why not. */
    private Object[] readInventory() {
        if (noClusterStatus) {
            return new Object[] {null, null};
        }
        Path p = root().inventoryPath();
        if (!Files.exists(p)) {
            return new Object[] {null, "no inventory at " + p + " yet, so no machine is shown as a member"};
        }
        try {
            return new Object[] {Inventory.load(p), null};
        } catch (KubaniException e) {
            return new Object[] {null, "cluster membership unknown: " + e.getMessage()};
        }
    }

    @Override
    protected int execute() {
        // The tailnet and the inventory are read at the same time: on a big tailnet both take a while.
        java.util.concurrent.CompletableFuture<Object[]> invRead = java.util.concurrent.CompletableFuture
                .supplyAsync(this::readInventory);
        TailnetStatus status = new TailscaleClient(root().env().vars()).status(statusFile);
        Object[] read = invRead.join();
        Inventory inv = (Inventory) read[0];
        String invNote = (String) read[1];
        List<Discovery.Machine> machines = Discovery.discover(status, inv, onlineOnly, filter);
        if (root().outputFormat() == OutputFormat.TABLE) {
            printTable(machines, invNote);
            return 0;
        }
        List<Map<String, Object>> data = new ArrayList<>(machines.size());
        for (Discovery.Machine m : machines) {
            Peer p = m.peer();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("hostname", p.name());
            row.put("dnsName", p.dnsName());
            row.put("ipv4", p.ipv4());
            row.put("ipv6", p.ipv6());
            row.put("os", p.os());
            row.put("online", p.online());
            row.put("lastSeen", p.lastSeen());
            row.put("tags", p.tags());
            row.put("self", p.self());
            if (!noClusterStatus) {
                row.put("cluster", m.membership());
                row.put("inventoryName", m.inventoryName());
            }
            data.add(row);
        }
        Printer.structured(root(), data);
        return 0;
    }

    /**
     * One machine's row. A method of its own, like the other per-machine bodies on this path: the
     * JIT compiles a method after a few hundred calls, but a loop body only after tens of
     * thousands of iterations, so a 10,000-row loop inlined here would run interpreted.
     */
    private void addRow(Table table, Discovery.Machine m, Term t) {
        Peer p = m.peer();
        String name = p.name() + (p.self() ? t.dim(" (this machine)") : "");
        String st = p.online() ? t.green("online") : t.red("offline");
        String seen = p.online() ? "now" : Times.ago(p.lastSeen());
        String tags = p.tags().isEmpty() ? "-" : String.join(",", p.tags());
        if (noClusterStatus) {
            table.row(name, p.ipv4(), p.ipv6(), p.os(), st, seen, tags);
        } else {
            String member = m.membership() == null ? t.dim("not in inventory") : t.cyan(m.membership());
            table.row(name, p.ipv4(), p.ipv6(), p.os(), st, seen, tags, member);
        }
    }

    /** The table for people; only this is built for table output (no per-machine maps). */
    private void printTable(List<Discovery.Machine> machines, String invNote) {
        Term t = term();
        Table table = noClusterStatus
                ? new Table("NAME", "TAILSCALE IPV4", "IPV6", "OS", "STATUS", "LAST SEEN", "TAGS")
                : new Table("NAME", "TAILSCALE IPV4", "IPV6", "OS", "STATUS", "LAST SEEN", "TAGS", "CLUSTER");
        for (Discovery.Machine m : machines) {
            addRow(table, m, t);
        }
        table.print(root().env().out(), t);
        long online = 0;
        for (Discovery.Machine m : machines) {
            if (m.peer().online()) {
                online++;
            }
        }
        t.info(t.dim(machines.size() + " machine" + (machines.size() == 1 ? "" : "s") + ", " + online + " online"
                + (invNote == null ? "" : "; " + invNote)));
    }
}
