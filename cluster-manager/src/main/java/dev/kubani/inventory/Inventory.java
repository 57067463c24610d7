package dev.kubani.inventory;

import dev.kubani.core.KubaniException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * An Ansible YAML inventory (hosts.yml) plus the group_vars and host_vars files beside it,
 * read as documents that can be edited without losing anything a person wrote.
 */
public final class Inventory {
    public static final List<String> VAR_GROUPS = List.of("all", "control_plane", "workers");
    private static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");

    private final Path hostsFile;
    private final YamlDoc hosts;
    private final Map<String, YamlDoc> groupVars;
    private final Map<String, YamlDoc> hostVars;
    /** Every group, in file order, with the key path to its mapping. */
    private final Map<String, Group> groups = new LinkedHashMap<>();
    /** Every host, in file order. */
    private final Map<String, Host> hostIndex = new LinkedHashMap<>();
    private final List<Problem> structural = new ArrayList<>();

    /** A group: its name and the mapping keys that lead to it. */
    public record Group(String name, List<String> path, org.yaml.snakeyaml.nodes.Node node) {
    }

    /** A host as it occurs in the file: name, groups and the key paths of each occurrence. */
    public static final class Host {
        final String name;
        final List<String> groups = new ArrayList<>();
        final List<List<String>> paths = new ArrayList<>();
        final List<org.yaml.snakeyaml.nodes.Node> keyNodes = new ArrayList<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
        final Map<String, org.yaml.snakeyaml.nodes.Node> varNodes = new LinkedHashMap<>();

        Host(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public List<String> groups() {
            return groups;
        }

        public Map<String, Object> vars() {
            return vars;
        }
    }

    private Inventory(Path hostsFile, YamlDoc hosts, Map<String, YamlDoc> groupVars, Map<String, YamlDoc> hostVars) {
        this.hostsFile = hostsFile;
        this.hosts = hosts;
        this.groupVars = groupVars;
        this.hostVars = hostVars;
        index();
    }

    // ---------------------------------------------------------------- loading

    public static Inventory load(Path hostsFile) {
        if (!Files.exists(hostsFile)) {
            throw KubaniException.invalidInput("inventory " + hostsFile + " does not exist; create it with "
                    + "'cp ansible/inventory/hosts.yml.example ansible/inventory/hosts.yml' or pass --inventory FILE");
        }
        if (Files.isDirectory(hostsFile)) {
            throw KubaniException.invalidInput("inventory " + hostsFile + " is a directory; pass the hosts.yml file inside it");
        }
        Map<Path, String> texts = new LinkedHashMap<>();
        texts.put(hostsFile, read(hostsFile));
        for (Path p : varFiles(hostsFile)) {
            texts.put(p, read(p));
        }
        return fromTexts(hostsFile, texts);
    }

    /** The group_vars and host_vars files Kubani reads beside the hosts file. */
    public static List<Path> varFiles(Path hostsFile) {
        List<Path> out = new ArrayList<>();
        Path dir = hostsFile.toAbsolutePath().getParent();
        for (String sub : List.of("group_vars", "host_vars")) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var s = Files.list(d)) {
                s.filter(p -> Files.isRegularFile(p))
                        .filter(p -> p.getFileName().toString().endsWith(".yml") || p.getFileName().toString().endsWith(".yaml"))
                        .sorted()
                        .forEach(out::add);
            } catch (IOException e) {
                throw KubaniException.invalidInput(d + ": cannot list (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw KubaniException.invalidInput(p + " does not exist");
        } catch (MalformedInputException e) {
            throw KubaniException.invalidInput(p + ": not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw KubaniException.invalidInput(p + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Builds an inventory from file texts (the hosts file first); used to check edits before writing. */
    public static Inventory fromTexts(Path hostsFile, Map<Path, String> texts) {
        YamlDoc hosts = YamlDoc.parse(hostsFile, texts.get(hostsFile));
        Map<String, YamlDoc> gv = new LinkedHashMap<>();
        Map<String, YamlDoc> hv = new LinkedHashMap<>();
        for (Map.Entry<Path, String> e : texts.entrySet()) {
            Path p = e.getKey();
            if (p.equals(hostsFile)) {
                continue;
            }
            String base = p.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            YamlDoc d = YamlDoc.parse(p, e.getValue());
            if (p.getParent() != null && p.getParent().getFileName().toString().equals("host_vars")) {
                hv.put(base, d);
            } else {
                gv.put(base, d);
            }
        }
        return new Inventory(hostsFile, hosts, gv, hv);
    }

    public Path hostsFile() {
        return hostsFile;
    }

    public YamlDoc hostsDoc() {
        return hosts;
    }

    public Map<String, YamlDoc> groupVarsDocs() {
        return groupVars;
    }

    public Map<String, YamlDoc> hostVarsDocs() {
        return hostVars;
    }

    public Path groupVarsPath(String group) {
        YamlDoc d = groupVars.get(group);
        return d != null ? d.file() : hostsFile.toAbsolutePath().getParent().resolve("group_vars").resolve(group + ".yml");
    }

    // ---------------------------------------------------------------- indexing

    private void index() {
        org.yaml.snakeyaml.nodes.Node root = hosts.root();
        if (root == null || isNull(root)) {
            structural.add(Problem.error(hostsFile, 1, "all", "the inventory is empty; start from "
                    + "ansible/inventory/hosts.yml.example"));
            return;
        }
        if (!(root instanceof MappingNode m)) {
            structural.add(Problem.error(hostsFile, YamlDoc.line(root), "", "the inventory must be a mapping of groups, "
                    + "starting with 'all:'"));
            return;
        }
        if (YamlDoc.entry(m, "all") == null) {
            structural.add(Problem.error(hostsFile, 1, "all", "no 'all' group; the file must start with 'all:' "
                    + "(see ansible/inventory/hosts.yml.example)"));
        }
        for (NodeTuple t : m.getValue()) {
            String name = ((ScalarNode) t.getKeyNode()).getValue();
            walkGroup(name, List.of(name), t.getValueNode());
        }
    }

    private static boolean isNull(org.yaml.snakeyaml.nodes.Node n) {
        return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    private void walkGroup(String name, List<String> path, org.yaml.snakeyaml.nodes.Node node) {
        groups.putIfAbsent(name, new Group(name, path, node));
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode gm)) {
            structural.add(Problem.error(hostsFile, YamlDoc.line(node), String.join(".", path),
                    "group '" + name + "' must be a mapping with hosts, vars or children"));
            return;
        }
        for (NodeTuple t : gm.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            org.yaml.snakeyaml.nodes.Node v = t.getValueNode();
            List<String> sub = append(path, key);
            if (!GROUP_KEYS.contains(key)) {
                structural.add(Problem.error(hostsFile, YamlDoc.line(t.getKeyNode()), String.join(".", sub),
                        "unknown key '" + key + "' in group '" + name + "'; a group holds only hosts, vars and children "
                                + "(is the indentation right?)"));
                continue;
            }
            if (!isNull(v) && !(v instanceof MappingNode)) {
                structural.add(Problem.error(hostsFile, YamlDoc.line(v), String.join(".", sub),
                        "'" + key + "' of group '" + name + "' must be a mapping"));
                continue;
            }
            if (isNull(v)) {
                continue;
            }
            MappingNode vm = (MappingNode) v;
            switch (key) {
                case "children" -> {
                    for (NodeTuple c : vm.getValue()) {
                        String child = ((ScalarNode) c.getKeyNode()).getValue();
                        walkGroup(child, append(sub, child), c.getValueNode());
                    }
                }
                case "hosts" -> {
                    for (NodeTuple h : vm.getValue()) {
                        addHost(name, sub, h);
                    }
                }
                default -> {
                    // vars: read through groupVars()
                }
            }
        }
    }

    private void addHost(String group, List<String> hostsPath, NodeTuple h) {
        String hn = ((ScalarNode) h.getKeyNode()).getValue();
        Host host = hostIndex.computeIfAbsent(hn, Host::new);
        host.groups.add(group);
        host.paths.add(append(hostsPath, hn));
        host.keyNodes.add(h.getKeyNode());
        org.yaml.snakeyaml.nodes.Node v = h.getValueNode();
        if (v instanceof MappingNode hm) {
            for (NodeTuple t : hm.getValue()) {
                String k = ((ScalarNode) t.getKeyNode()).getValue();
                host.vars.put(k, YamlDoc.toJava(t.getValueNode()));
                host.varNodes.put(k, t.getValueNode());
            }
        } else if (!isNull(v)) {
            structural.add(Problem.error(hostsFile, YamlDoc.line(v), hn,
                    "host '" + hn + "' must be a mapping of variables (ansible_host, tailscale_ip, ...)"));
        }
        YamlDoc hv = hostVars.get(hn);
        if (hv != null && hv.root() instanceof MappingNode hvm) {
            for (NodeTuple t : hvm.getValue()) {
                String k = ((ScalarNode) t.getKeyNode()).getValue();
                host.vars.put(k, YamlDoc.toJava(t.getValueNode()));
                host.varNodes.put(k, t.getValueNode());
            }
        }
    }

    private static List<String> append(List<String> p, String k) {
        List<String> l = new ArrayList<>(p);
        l.add(k);
        return List.copyOf(l);
    }

    // ---------------------------------------------------------------- queries

    /** Problems with the file's shape (not a mapping, no 'all', unknown keys): reading cannot trust it. */
    public List<Problem> structuralProblems() {
        return List.copyOf(structural);
    }

    /** Throws (exit 2) when the file's shape is broken; for commands that only read. */
    public Inventory requireWellFormed() {
        if (!structural.isEmpty()) {
            throw KubaniException.invalidInput(structural.get(0).toString());
        }
        return this;
    }

    public Map<String, Group> groups() {
        return groups;
    }

    public Map<String, Host> hosts() {
        return hostIndex;
    }

    public Host host(String name) {
        return hostIndex.get(name);
    }

    /** Role from group membership, or null when in neither or both groups. */
    public Role role(Host h) {
        boolean cp = h.groups.contains(Role.CONTROL_PLANE.group());
        boolean w = h.groups.contains(Role.WORKER.group());
        if (cp == w) {
            return null;
        }
        return cp ? Role.CONTROL_PLANE : Role.WORKER;
    }

    /** All nodes with a role, in file order. */
    public List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        for (Host h : hostIndex.values()) {
            Role r = role(h);
            if (r != null) {
                out.add(Node.fromInventory(h.name, r, h.vars));
            }
        }
        return out;
    }

    /** A group's "vars:" in hosts.yml. */
    public Map<String, Object> inventoryFileGroupVars(String group) {
        Map<String, Object> out = new LinkedHashMap<>();
        Group g = groups.get(group);
        if (g != null && YamlDoc.get(g.node(), List.of("vars")) instanceof MappingNode vm) {
            putAll(out, vm);
        }
        return out;
    }

    /** The variables of group_vars/GROUP.yml. */
    public Map<String, Object> groupVarsFile(String group) {
        Map<String, Object> out = new LinkedHashMap<>();
        YamlDoc d = groupVars.get(group);
        if (d != null && d.root() instanceof MappingNode gm) {
            putAll(out, gm);
        }
        return out;
    }

    /** Variables of a group on its own: hosts.yml "vars:", then group_vars/GROUP.yml (which wins). */
    public Map<String, Object> groupVars(String group) {
        Map<String, Object> out = inventoryFileGroupVars(group);
        out.putAll(groupVarsFile(group));
        return out;
    }

    private static void putAll(Map<String, Object> out, MappingNode m) {
        for (NodeTuple t : m.getValue()) {
            out.put(((ScalarNode) t.getKeyNode()).getValue(), YamlDoc.toJava(t.getValueNode()));
        }
    }

    /**
     * Effective variables of a scope (all, a group, or a host) with Ansible's precedence: every
     * group's vars in hosts.yml (all first), then every group_vars file (all first) — a
     * group_vars file beats any group vars written in hosts.yml — then the host's entry, then
     * its host_vars file.
     */
    public Map<String, Object> effectiveVars(String scope) {
        List<String> chain = new ArrayList<>();
        chain.add("all");
        Host h = null;
        if (scope != null && !scope.equals("all")) {
            if (groups.containsKey(scope) || VAR_GROUPS.contains(scope)) {
                chain.add(scope);
            } else {
                h = hostIndex.get(scope);
                if (h == null) {
                    throw KubaniException.invalidInput("--scope " + scope + ": no such group or host in " + hostsFile
                            + "; use all, control_plane, workers or a host name");
                }
                for (String g : h.groups) {
                    if (!chain.contains(g)) {
                        chain.add(g);
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String g : chain) {
            out.putAll(inventoryFileGroupVars(g));
        }
        for (String g : chain) {
            out.putAll(groupVarsFile(g));
        }
        if (h != null) {
            out.putAll(h.vars);
        }
        return out;
    }

    /** The cluster-wide configuration (seed 000 "Configuration Model"). */
    public ClusterConfig clusterConfig() {
        return ClusterConfig.from(groupVars("all"));
    }

    // ---------------------------------------------------------------- validation

    /** Every problem, not only the first: structure, hosts, values and cluster variables. */
    public List<Problem> validate(boolean allowNonTailscale) {
        List<Problem> out = new ArrayList<>(structural);
        Map<String, String> ipOwner = new LinkedHashMap<>();
        int controlPlanes = 0;
        for (Host h : hostIndex.values()) {
            int line = YamlDoc.line(h.keyNodes.get(0));
            String err = Rules.hostname(h.name);
            if (err != null) {
                out.add(Problem.error(hostsFile, line, h.name, err));
            }
            boolean cp = h.groups.contains(Role.CONTROL_PLANE.group());
            boolean w = h.groups.contains(Role.WORKER.group());
            if (cp && w) {
                out.add(Problem.error(hostsFile, YamlDoc.line(h.keyNodes.get(1)), h.name,
                        "host is in both control_plane and workers; keep it in one of them (a K3s server runs workloads too)"));
            } else if (!cp && !w) {
                out.add(Problem.error(hostsFile, line, h.name,
                        "host is in neither control_plane nor workers; move it under one of them"));
            }
            if (cp && !w) {
                controlPlanes++;
            }
            if (h.paths.size() > 1 && h.groups.stream().distinct().count() < h.groups.size()) {
                out.add(Problem.error(hostsFile, YamlDoc.line(h.keyNodes.get(1)), h.name,
                        "host is listed twice in group '" + h.groups.get(1) + "'; remove one entry"));
            }
            validateHostVars(h, allowNonTailscale, ipOwner, out);
        }
        if (!hostIndex.isEmpty() && controlPlanes == 0 && structural.isEmpty()) {
            out.add(Problem.warning(hostsFile, 0, "control_plane", "no control-plane node yet; add one with "
                    + "'cluster-mgr add-node NAME IP --role control-plane'"));
        }
        if (controlPlanes > 1 && controlPlanes % 2 == 0) {
            out.add(Problem.warning(hostsFile, 0, "control_plane", controlPlanes + " control-plane nodes: etcd needs a "
                    + "majority, so an even count tolerates no more failures than one fewer; use 1, 3 or 5"));
        }
        validateClusterVars(out);
        return out;
    }

    private void validateHostVars(Host h, boolean allowNonTailscale, Map<String, String> ipOwner, List<Problem> out) {
        Map<String, Object> v = h.vars;
        int hostLine = YamlDoc.line(h.keyNodes.get(0));
        Object ip = v.get("tailscale_ip");
        if (ip == null) {
            out.add(Problem.error(fileOf(h, "tailscale_ip"), hostLine, h.name + ".tailscale_ip",
                    "missing; every node needs its Tailscale IP (see 'cluster-mgr discover')"));
        } else if (!VarSchema.isTemplate(ip)) {
            String err = Rules.tailscaleIp(String.valueOf(ip), allowNonTailscale);
            if (err != null) {
                out.add(err(h, "tailscale_ip", err));
            } else {
                String key = Rules.ip(String.valueOf(ip)).getHostAddress();
                String prev = ipOwner.putIfAbsent(key, h.name);
                if (prev != null) {
                    out.add(err(h, "tailscale_ip", "'" + ip + "' is already the Tailscale IP of '" + prev
                            + "'; each node has its own"));
                }
            }
        }
        Object ah = v.get("ansible_host");
        if (ah != null && !VarSchema.isTemplate(ah)) {
            String err = Rules.address(String.valueOf(ah));
            if (err != null) {
                out.add(err(h, "ansible_host", err + "; use the node's Tailscale IP or MagicDNS name"));
            }
        }
        for (String q : List.of("reserved_cpu", "reserved_memory")) {
            Object val = v.get(q);
            if (val == null || VarSchema.isTemplate(val)) {
                continue;
            }
            if (val instanceof Map || val instanceof List || val instanceof Boolean) {
                out.add(err(h, q, "must be a quantity such as \"2\" or \"4Gi\""));
                continue;
            }
            String err = Rules.quantity(String.valueOf(val));
            if (err != null) {
                out.add(err(h, q, err));
            }
        }
        Object gpu = v.get("gpu");
        if (gpu != null && !(gpu instanceof Boolean) && !VarSchema.isTemplate(gpu)) {
            out.add(err(h, "gpu", "must be true or false without quotes, got " + VarSchema.describe(gpu)));
        }
        for (String k : List.of("node_labels", "node_taints")) {
            if (v.containsKey(k) && v.get(k) != null) {
                String err = VarSchema.spec(k).validate(v.get(k));
                if (err != null) {
                    out.add(err(h, k, err));
                }
            }
        }
    }

    private Path fileOf(Host h, String var) {
        YamlDoc hv = hostVars.get(h.name);
        if (hv != null && hv.root() instanceof MappingNode m && YamlDoc.entry(m, var) != null) {
            return hv.file();
        }
        return hostsFile;
    }

    private Problem err(Host h, String var, String msg) {
        org.yaml.snakeyaml.nodes.Node n = h.varNodes.get(var);
        return Problem.error(fileOf(h, var), n == null ? YamlDoc.line(h.keyNodes.get(0)) : YamlDoc.line(n),
                h.name + "." + var, msg);
    }

    private void validateClusterVars(List<Problem> out) {
        for (Group g : groups.values()) {
            if (YamlDoc.get(g.node(), List.of("vars")) instanceof MappingNode vm) {
                checkVars(hostsFile, String.join(".", g.path()) + ".vars.", vm, out);
            }
        }
        for (YamlDoc d : groupVars.values()) {
            if (d.root() == null || isNull(d.root())) {
                continue;
            }
            if (d.root() instanceof MappingNode m) {
                checkVars(d.file(), "", m, out);
            } else {
                out.add(Problem.error(d.file(), YamlDoc.line(d.root()), "", "a group_vars file must be a mapping of variables"));
            }
        }
    }

    private static void checkVars(Path file, String prefix, MappingNode m, List<Problem> out) {
        for (NodeTuple t : m.getValue()) {
            String k = ((ScalarNode) t.getKeyNode()).getValue();
            VarSchema.Spec spec = VarSchema.spec(k);
            if (spec == null) {
                continue;
            }
            Object val = YamlDoc.toJava(t.getValueNode());
            if (val == null && spec.type() != VarSchema.Type.BOOL) {
                continue; // unset: the role default applies
            }
            String err = spec.validate(val);
            if (err != null) {
                out.add(Problem.error(file, YamlDoc.line(t.getValueNode()), prefix + k, err));
            }
        }
    }

    /** The set of Tailscale IPs in use, normalised. */
    public Set<String> tailscaleIps() {
        Set<String> out = new LinkedHashSet<>();
        for (Host h : hostIndex.values()) {
            Object ip = h.vars.get("tailscale_ip");
            if (ip != null && Rules.ip(String.valueOf(ip)) != null) {
                out.add(Rules.ip(String.valueOf(ip)).getHostAddress());
            }
        }
        return out;
    }
}
