package dev.kubani.lab;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One VM of the lab: its name, resource class, k0s role, static IP and resources.
 *
 * @param k0sRole "controller", "controller+worker" or "worker" (k0sctl's host roles)
 */
public record LabNode(String name, NodeClass nodeClass, String k0sRole, String ip, int cpus, int memoryMb, int diskGb) {

    /** Resource class of seed 003: controllers and workers get different CPU, memory and disk. */
    public enum NodeClass {
        CONTROLLER, WORKER;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean runsWorkloads() {
        return !k0sRole.equals("controller");
    }

    public boolean isController() {
        return nodeClass == NodeClass.CONTROLLER;
    }

    /** Plain map for --output json|yaml and for the Vagrantfile. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("class", nodeClass.id());
        m.put("role", k0sRole);
        m.put("runs_workloads", runsWorkloads());
        m.put("ip", ip);
        m.put("cpus", cpus);
        m.put("memory_mb", memoryMb);
        m.put("disk_gb", diskGb);
        return m;
    }
}
