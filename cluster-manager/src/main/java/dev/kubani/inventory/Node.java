package dev.kubani.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster node as the inventory describes it (seed 000 "Inventory Node Model"). Only the
 * host name, Tailscale IP and role are required (Property 8).
 */
public record Node(String hostname, String ansibleHost, String tailscaleIp, Role role,
                   String reservedCpu, String reservedMemory, boolean gpu,
                   Map<String, String> nodeLabels, List<NodeTaint> nodeTaints) {

    public Node {
        nodeLabels = nodeLabels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodeLabels));
        nodeTaints = nodeTaints == null ? List.of() : List.copyOf(nodeTaints);
    }

    /** The host's variables in inventory order, omitting what is unset. */
    public Map<String, Object> toInventoryVars() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ansible_host", ansibleHost == null ? tailscaleIp : ansibleHost);
        m.put("tailscale_ip", tailscaleIp);
        if (reservedCpu != null) {
            m.put("reserved_cpu", reservedCpu);
        }
        if (reservedMemory != null) {
            m.put("reserved_memory", reservedMemory);
        }
        if (gpu) {
            m.put("gpu", true);
        }
        if (!nodeLabels.isEmpty()) {
            m.put("node_labels", new LinkedHashMap<>(nodeLabels));
        }
        if (!nodeTaints.isEmpty()) {
            List<Object> l = new ArrayList<>();
            for (NodeTaint t : nodeTaints) {
                l.add(t.toInventory());
            }
            m.put("node_taints", l);
        }
        return m;
    }

    /**
     * Builds a node from inventory variables that already passed validation (values of the
     * wrong type are read leniently here; {@link Inventory#validate} reports them).
     */
    public static Node fromInventory(String hostname, Role role, Map<String, Object> vars) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (vars.get("node_labels") instanceof Map<?, ?> lm) {
            lm.forEach((k, v) -> labels.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        List<NodeTaint> taints = new ArrayList<>();
        if (vars.get("node_taints") instanceof List<?> tl) {
            for (Object o : tl) {
                if (o instanceof Map<?, ?> tm) {
                    taints.add(new NodeTaint(str(tm.get("key")), tm.get("value") == null ? "" : str(tm.get("value")),
                            str(tm.get("effect"))));
                }
            }
        }
        Object gpu = vars.get("gpu");
        return new Node(hostname, str(vars.get("ansible_host")), str(vars.get("tailscale_ip")), role,
                str(vars.get("reserved_cpu")), str(vars.get("reserved_memory")),
                Boolean.TRUE.equals(gpu) || "true".equalsIgnoreCase(String.valueOf(gpu)), labels, taints);
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
