package dev.kubani.inventory;

import dev.kubani.core.KubaniException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;

/** The edits cluster-mgr makes to an inventory, as text changes that keep everything else. */
public final class InventoryEditor {
    private InventoryEditor() {
    }

    /** Adds a node to the group of its role (Property 20). */
    public static InventoryStore.Change addNode(Inventory inv, Node node) {
        Inventory.Host existing = inv.host(node.hostname());
        if (existing != null) {
            throw KubaniException.invalidInput("host '" + node.hostname() + "' is already in the inventory (group "
                    + String.join(", ", existing.groups()) + "); remove it first or choose another name");
        }
        String ip = Rules.ip(node.tailscaleIp()) == null ? node.tailscaleIp() : Rules.ip(node.tailscaleIp()).getHostAddress();
        for (Inventory.Host h : inv.hosts().values()) {
            Object other = h.vars().get("tailscale_ip");
            java.net.InetAddress oa = other == null ? null : Rules.ip(String.valueOf(other));
            if (oa != null && oa.getHostAddress().equals(ip)) {
                throw KubaniException.invalidInput("IP " + node.tailscaleIp() + " already belongs to '" + h.name()
                        + "'; each node has its own Tailscale IP");
            }
        }
        List<String> path = hostsPathFor(inv, node.role().group());
        List<String> full = new ArrayList<>(path);
        full.add(node.hostname());
        String text = inv.hostsDoc().set(full, node.toInventoryVars());
        return new InventoryStore.Change(Map.of(inv.hostsFile(), text),
                List.of("added " + node.hostname() + " (" + node.tailscaleIp() + ") to " + node.role().group()
                        + " in " + inv.hostsFile()));
    }

    /** Where a group's hosts live: the existing group (even nested), or all.children.GROUP.hosts. */
    private static List<String> hostsPathFor(Inventory inv, String group) {
        Inventory.Group g = inv.groups().get(group);
        List<String> p = new ArrayList<>(g != null ? g.path() : List.of("all", "children", group));
        p.add("hosts");
        return p;
    }

    /** Removes a host from every group that lists it. */
    public static InventoryStore.Change removeNode(Inventory inv, String hostname) {
        Inventory.Host h = inv.host(hostname);
        if (h == null) {
            throw KubaniException.invalidInput("host '" + hostname + "' is not in " + inv.hostsFile()
                    + "; see the hosts with 'cluster-mgr discover' or 'cluster-mgr validate'");
        }
        String text = inv.hostsDoc().text();
        // remove the later occurrences first so earlier positions stay valid
        List<List<String>> paths = new ArrayList<>(h.paths);
        java.util.Collections.reverse(paths);
        for (List<String> p : paths) {
            text = YamlDoc.parse(inv.hostsFile(), text).remove(p);
        }
        return new InventoryStore.Change(Map.of(inv.hostsFile(), text),
                List.of("removed " + hostname + " from " + String.join(", ", h.groups()) + " in " + inv.hostsFile()));
    }

    /**
     * Sets a variable for a scope. "all" and the groups write where the effective value comes
     * from: the group_vars file if it has the key or exists, else the group's vars in hosts.yml.
     * A host scope writes into the host's entry (or its host_vars file if that exists).
     */
    public static InventoryStore.Change setVar(Inventory inv, String scope, List<String> key, Object value) {
        String s = scope == null ? "all" : scope;
        Path file;
        String text;
        List<String> path;
        if (inv.host(s) != null && !inv.groups().containsKey(s)) {
            YamlDoc hv = inv.hostVarsDocs().get(s);
            if (hv != null) {
                file = hv.file();
                text = hv.set(key, value);
            } else {
                Inventory.Host h = inv.host(s);
                path = new ArrayList<>(h.paths.get(0));
                path.addAll(key);
                file = inv.hostsFile();
                text = inv.hostsDoc().set(path, value);
            }
        } else if (inv.groups().containsKey(s) || Inventory.VAR_GROUPS.contains(s)) {
            // Write where the value takes effect: a group_vars file beats group vars in hosts.yml.
            YamlDoc gv = inv.groupVarsDocs().get(s);
            Inventory.Group g = inv.groups().get(s);
            String top = key.get(0);
            boolean inHosts = g != null && YamlDoc.get(g.node(), List.of("vars", top)) != null;
            boolean shadowed = !s.equals("all") && inv.groupVarsFile("all").containsKey(top);
            boolean groupVarsDir = !inv.groupVarsDocs().isEmpty()
                    || java.nio.file.Files.isDirectory(inv.hostsFile().toAbsolutePath().getParent().resolve("group_vars"));
            if (gv != null && (gv.get(top) != null || !inHosts || shadowed)) {
                file = gv.file();
                text = gv.set(key, value);
            } else if (g != null && (inHosts && !shadowed || !groupVarsDir)) {
                path = new ArrayList<>(g.path());
                path.add("vars");
                path.addAll(key);
                file = inv.hostsFile();
                text = inv.hostsDoc().set(path, value);
            } else {
                file = inv.groupVarsPath(s);
                text = YamlDoc.parse(file, "---\n").set(key, value);
            }
        } else {
            throw KubaniException.invalidInput("--scope " + s + ": no such group or host; use all, control_plane, "
                    + "workers or a host name from the inventory");
        }
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(file, text);
        return new InventoryStore.Change(files, List.of("set " + String.join(".", key) + " = "
                + YamlRender.flow(value) + " for " + s + " in " + file));
    }
}
