package dev.kubani.lab;

import dev.kubani.core.KubaniException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab cluster computed from {@link LabSettings}: the single source of truth that the
 * Vagrantfile, lab/k0sctl.yaml and the health check all read (seed 003).
 *
 * <ul>
 *   <li>Names: control-plane-N and worker-N, from 1.</li>
 *   <li>Static IPs: controllers from host .10 of the subnet, workers from host .20, in order.
 *       A plan whose ranges overlap or run past the subnet is rejected.</li>
 *   <li>Roles: with fewer than 3 controllers (development mode) every controller also runs
 *       workloads; with 3 or more (HA mode) only a third of them do (at least one), the first
 *       ones, and the rest are plain controllers. An even controller count gets a quorum warning.</li>
 * </ul>
 */
public record LabPlan(LabSettings settings, String mode, List<LabNode> nodes, List<String> warnings) {
    public static final String CLUSTER_NAME = "k0s-lab";
    public static final int CONTROLLER_OFFSET = 10;
    public static final int WORKER_OFFSET = 20;
    public static final int HA_MIN_CONTROLLERS = 3;

    public LabPlan {
        nodes = List.copyOf(nodes);
        warnings = List.copyOf(warnings);
    }

    /** How many controllers run workloads: all in development mode, a third (at least one) in HA mode. */
    public static int workloadControllers(int controllers) {
        return controllers < HA_MIN_CONTROLLERS ? controllers : Math.max(1, controllers / 3);
    }

    public static LabPlan compute(LabSettings s) {
        int cps = s.get(LabVar.CONTROL_PLANE_COUNT);
        int workers = s.get(LabVar.WORKER_COUNT);
        Subnet net = s.subnet();
        long last = net.lastHostOffset();
        // the controllers' range must end before the workers' range begins
        if (CONTROLLER_OFFSET + cps - 1 >= WORKER_OFFSET) {
            throw KubaniException.invalidInput(s.source(LabVar.CONTROL_PLANE_COUNT) + "=" + cps + ": controllers would take "
                    + Subnet.format(net.host(CONTROLLER_OFFSET)) + " to " + Subnet.format(net.host(CONTROLLER_OFFSET + cps - 1L))
                    + " and overlap the workers' range from " + Subnet.format(net.host(WORKER_OFFSET)) + "; use at most "
                    + (WORKER_OFFSET - CONTROLLER_OFFSET) + " controllers");
        }
        if (CONTROLLER_OFFSET + cps - 1 > last) {
            throw KubaniException.invalidInput(s.subnetSource() + "=" + net + ": too small for " + cps + " controller"
                    + (cps == 1 ? "" : "s") + " from " + Subnet.format(net.host(CONTROLLER_OFFSET)) + "; use a /"
                    + Math.min(net.prefix() - 1, 27) + " or larger subnet");
        }
        if (workers > 0 && WORKER_OFFSET + workers - 1L > last) {
            long fit = Math.max(0, last - WORKER_OFFSET + 1);
            throw KubaniException.invalidInput(s.source(LabVar.WORKER_COUNT) + "=" + workers + " does not fit in "
                    + s.subnetSource() + " " + net + ": the workers would need " + Subnet.format(net.host(WORKER_OFFSET)) + " to "
                    + Subnet.format(net.host(WORKER_OFFSET + workers - 1L)) + ", past its last usable address "
                    + Subnet.format(net.host(last)) + "; use at most " + fit + " workers or a larger subnet ("
                    + LabSettings.SUBNET_FLAG + ")");
        }
        int busy = workloadControllers(cps);
        List<LabNode> nodes = new ArrayList<>();
        for (int i = 1; i <= cps; i++) {
            String role = i <= busy ? "controller+worker" : "controller";
            nodes.add(new LabNode("control-plane-" + i, LabNode.NodeClass.CONTROLLER, role,
                    Subnet.format(net.host(CONTROLLER_OFFSET + i - 1L)), s.get(LabVar.CPU_CONTROL), s.get(LabVar.MEMORY_CONTROL),
                    s.get(LabVar.DISK_SIZE)));
        }
        for (int i = 1; i <= workers; i++) {
            nodes.add(new LabNode("worker-" + i, LabNode.NodeClass.WORKER, "worker",
                    Subnet.format(net.host(WORKER_OFFSET + i - 1L)), s.get(LabVar.CPU_WORKER), s.get(LabVar.MEMORY_WORKER),
                    s.get(LabVar.DISK_SIZE)));
        }
        List<String> warnings = new ArrayList<>();
        if (cps % 2 == 0) {
            warnings.add(cps + " controllers: etcd needs a majority, so " + cps + " controllers survive no more failures than "
                    + (cps - 1) + " would; use an odd count (1, 3 or 5)");
        }
        return new LabPlan(s, cps >= HA_MIN_CONTROLLERS ? "ha" : "development", nodes, warnings);
    }

    public List<LabNode> controllers() {
        return nodes.stream().filter(LabNode::isController).toList();
    }

    public List<LabNode> workers() {
        return nodes.stream().filter(n -> !n.isController()).toList();
    }

    public LabNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
    }

    /** VM name by static IP, for naming the VM in failure reports. */
    public Map<String, String> namesByIp() {
        Map<String, String> m = new LinkedHashMap<>();
        nodes.forEach(n -> m.put(n.ip(), n.name()));
        return m;
    }

    /**
     * The plan as plain data for --output json|yaml and the Vagrantfile. {@code ssh} holds the
     * lab key paths (see {@link LabPaths}); the public key is included once it exists.
     */
    public Map<String, Object> toMap(LabPaths paths) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster_name", CLUSTER_NAME);
        m.put("mode", mode);
        m.put("provider", settings.provider().id());
        m.put("box", settings.provider().box());
        m.put("subnet", settings.subnet().toString());
        m.put("netmask", settings.subnet().netmask());
        m.put("prefix_length", settings.subnet().prefix());
        Map<String, Object> ssh = new LinkedHashMap<>();
        ssh.put("user", settings.provider().sshUser());
        ssh.put("port", 22);
        ssh.put("private_key", paths.sshKey().toString());
        ssh.put("public_key", paths.publicKey());
        m.put("ssh", ssh);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("controllers", controllers().size());
        counts.put("workload_controllers", workloadControllers(controllers().size()));
        counts.put("workers", workers().size());
        m.put("counts", counts);
        List<Object> ns = new ArrayList<>();
        nodes.forEach(n -> ns.add(n.toMap()));
        m.put("nodes", ns);
        m.put("warnings", new ArrayList<>(warnings));
        return m;
    }
}
