package dev.kubani.tailscale;

import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Role;
import dev.kubani.inventory.Rules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Joins the tailnet's machines with the inventory: who is already a control plane or worker. */
public final class Discovery {
    /** One discovered machine with its cluster membership ("control-plane", "worker" or null). */
    public record Machine(Peer peer, String membership, String inventoryName) {
    }

    private Discovery() {
    }

    public static List<Machine> discover(TailnetStatus status, Inventory inv, boolean onlineOnly, String glob) {
        // Keyed by the address as written and in Java's normal form; peers' addresses are looked
        // up as Tailscale prints them, and normalised only when that misses and IPv6 is in play.
        Map<String, Inventory.Host> byIp = new HashMap<>();
        Map<String, Inventory.Host> byName = new HashMap<>();
        boolean inventoryHasV6 = false;
        if (inv != null) {
            for (Inventory.Host h : inv.hosts().values()) {
                Object ip = h.vars().get("tailscale_ip");
                if (ip != null) {
                    String raw = String.valueOf(ip).trim().toLowerCase(Locale.ROOT);
                    byIp.putIfAbsent(raw, h);
                    var a = Rules.ip(raw);
                    if (a != null) {
                        byIp.putIfAbsent(a.getHostAddress(), h);
                        inventoryHasV6 |= a.getAddress().length == 16;
                    }
                }
                byName.put(h.name().toLowerCase(Locale.ROOT), h);
            }
        }
        Pattern filter = glob == null ? null : globToRegex(glob);
        List<Machine> out = new ArrayList<>();
        for (Peer p : status.machines()) {
            Machine m = match(p, inv, byIp, byName, inventoryHasV6, onlineOnly, filter);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** One peer against the inventory; null when filtered out (a method, not a loop body, so it gets compiled). */
    private static Machine match(Peer p, Inventory inv, Map<String, Inventory.Host> byIp, Map<String, Inventory.Host> byName,
                                 boolean inventoryHasV6, boolean onlineOnly, Pattern filter) {
        if (onlineOnly && !p.online()) {
            return null;
        }
        if (filter != null && !filter.matcher(p.name().toLowerCase(Locale.ROOT)).matches()
                && (p.hostName() == null || !filter.matcher(p.hostName().toLowerCase(Locale.ROOT)).matches())) {
            return null;
        }
        Inventory.Host h = null;
        for (String ip : p.tailscaleIps()) {
            h = byIp.get(ip);
            if (h == null && inventoryHasV6 && ip.indexOf(':') >= 0) {
                var a = Rules.ip(ip);
                h = a == null ? null : byIp.get(a.getHostAddress());
            }
            if (h != null) {
                break;
            }
        }
        if (h == null) {
            h = byName.get(p.name().toLowerCase(Locale.ROOT));
        }
        String membership = null;
        if (h != null) {
            Role r = inv.role(h);
            membership = r == null ? "inventory" : r.label();
        }
        return new Machine(p, membership, h == null ? null : h.name());
    }

    /** Finds a machine by name (HostName or MagicDNS first label), case-insensitively. */
    public static Peer find(TailnetStatus status, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Peer p : status.machines()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(n)
                    || p.hostName() != null && p.hostName().toLowerCase(Locale.ROOT).equals(n)) {
                return p;
            }
        }
        return null;
    }

    /** Shell-style glob: * any run, ? one character, [abc] a set. Matching ignores case. */
    public static Pattern globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end > i + 1) {
                        String set = glob.substring(i + 1, end).replace("\\", "\\\\");
                        if (set.startsWith("!")) {
                            set = "^" + set.substring(1);
                        }
                        sb.append('[').append(set).append(']');
                        i = end;
                    } else {
                        sb.append("\\[");
                    }
                }
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
