package dev.kubani.kube;

import java.util.List;

/**
 * A node as the dashboard and {@code status} show it: only the fields on screen, decoded from the
 * API's JSON (the full Node object is fetched on demand for the detail view).
 *
 * @param status        Ready, NotReady or Unknown (the Ready condition; Unknown when the kubelet stopped reporting)
 * @param internalIp    the InternalIP address (K3s over Tailscale: the node's Tailscale IP), or null
 * @param created       creation time, epoch seconds (0 when absent)
 * @param heartbeat     last heartbeat of the Ready condition, epoch seconds (0 when absent)
 * @param cpuMilli      allocatable CPU in millicores
 * @param memBytes      allocatable memory in bytes
 * @param gpus          nvidia.com/gpu capacity
 * @param flannelIp     the flannel.alpha.coreos.com/public-ip annotation K3s sets, or null
 */
public record NodeRow(String name, String role, String status, boolean unschedulable, String internalIp,
                      String kubeletVersion, long created, long heartbeat, long cpuMilli, long memBytes, int gpus,
                      boolean workstation, boolean gpuLabel, String flannelIp, List<String> taints) {

    public NodeRow {
        taints = taints == null ? List.of() : List.copyOf(taints);
    }

    /** The STATUS column: Ready/NotReady/Unknown plus ",SchedulingDisabled" when cordoned (as kubectl prints it). */
    public String statusText() {
        return unschedulable ? status + ",SchedulingDisabled" : status;
    }

    public NodeRow withStatus(String s) {
        return new NodeRow(name, role, s, unschedulable, internalIp, kubeletVersion, created, heartbeat, cpuMilli, memBytes,
                gpus, workstation, gpuLabel, flannelIp, taints);
    }

    public NodeRow withUnschedulable(boolean u) {
        return new NodeRow(name, role, status, u, internalIp, kubeletVersion, created, heartbeat, cpuMilli, memBytes,
                gpus, workstation, gpuLabel, flannelIp, taints);
    }
}
