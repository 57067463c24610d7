package dev.kubani.provision;

import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Rules;
import dev.kubani.tailscale.Discovery;
import dev.kubani.tailscale.Peer;
import dev.kubani.tailscale.TailnetStatus;
import dev.kubani.tailscale.TailscaleClient;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase 2: every node in scope is known to the tailnet, online, and has the Tailscale IP the
 * inventory says. Offline or unknown nodes are named and stop the run (exit 3) unless --limit
 * leaves them out; nodes outside --limit are only mentioned.
 */
public final class CheckTailnetPhase implements Phase {
    /** One node's standing on the tailnet; problem is null when all is well. */
    public record Standing(String node, String ip, String problem) {
    }

    @Override
    public String title() {
        return "Check the tailnet";
    }

    @Override
    public void run(PhaseContext ctx) {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        TailnetStatus status = new TailscaleClient(run.env()).status(run.options().statusFile());
        List<String> bad = new ArrayList<>();
        for (Inventory.Host h : run.inventory().hosts().values()) {
            if (!run.roles.containsKey(h.name())) {
                continue;
            }
            Standing s = check(status, h.name(), str(h.vars().get("tailscale_ip")));
            boolean inScope = run.scope().contains(h.name());
            if (s.problem() == null) {
                if (inScope) {
                    ctx.console().info("  " + ctx.console().term().green("✓ ") + h.name() + " " + s.ip() + " online");
                }
            } else if (inScope) {
                ctx.console().failure("  ✗ " + h.name() + ": " + s.problem());
                bad.add(h.name());
            } else {
                ctx.console().info("  - " + h.name() + ": " + s.problem() + " (left out by --limit)");
            }
        }
        if (!bad.isEmpty()) {
            String excl = "all:!" + String.join(":!", bad);
            throw KubaniException.unexpectedState(bad.size() + " node" + (bad.size() == 1 ? " is" : "s are")
                    + " not usable on the tailnet: " + String.join(", ", bad) + "; bring "
                    + (bad.size() == 1 ? "it" : "them") + " online ('tailscale status' on the node, 'sudo tailscale up'), "
                    + "fix tailscale_ip in the inventory, or leave " + (bad.size() == 1 ? "it" : "them")
                    + (run.k0s() ? " out of the inventory (k0sctl applies every node in it, so --limit does not apply)"
                    : " out with --limit '" + excl + "'"));
        }
    }

    /** How a node with inventory IP {@code ip} stands on the tailnet. */
    public static Standing check(TailnetStatus status, String name, String ip) {
        InetAddress want = ip == null ? null : Rules.ip(ip);
        Peer byIp = null;
        if (want != null) {
            for (Peer p : status.machines()) {
                for (String a : p.tailscaleIps()) {
                    InetAddress got = Rules.ip(a);
                    if (got != null && got.equals(want)) {
                        byIp = p;
                    }
                }
            }
        }
        Peer p = byIp != null ? byIp : Discovery.find(status, name);
        if (p == null) {
            return new Standing(name, ip, "not on the tailnet (no machine has " + ip + " or is called '" + name
                    + "'); install Tailscale on it and run 'sudo tailscale up'");
        }
        if (byIp == null) {
            String has = p.ipv4() != null ? p.ipv4() : String.join(", ", p.tailscaleIps());
            return new Standing(name, ip, "its Tailscale IP is " + has + " but the inventory has " + ip
                    + "; set tailscale_ip: " + has + " for " + name);
        }
        boolean online = p.online() || p.self() && (status.backendState() == null
                || "Running".equals(status.backendState()));
        if (!online) {
            return new Standing(name, ip, "offline" + (p.lastSeen() == null || p.lastSeen().startsWith("0001")
                    ? "" : " (last seen " + p.lastSeen() + ")") + "; start it and check 'tailscale status' on it");
        }
        return new Standing(name, ip, null);
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
