package dev.kubani.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;

/** k3s-shaped Node objects for the mock API server that stands in for K3s's API server. */
public final class K3sNodes {
    private K3sNodes() {
    }

    /** status: "True", "False", "Unknown" or null for no Ready condition. */
    public static Node node(String name, boolean controlPlane, String ip, String status) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToAnnotations("flannel.alpha.coreos.com/public-ip", ip)
                .addToAnnotations("k3s.io/node-args", "[\"" + (controlPlane ? "server" : "agent") + "\",\"--node-ip\",\""
                        + ip + "\",\"--flannel-iface\",\"tailscale0\"]")
                .endMetadata()
                .withNewSpec().endSpec();
        if (controlPlane) {
            b.editMetadata().addToLabels("node-role.kubernetes.io/control-plane", "true")
                    .addToLabels("node-role.kubernetes.io/master", "true").endMetadata();
        }
        b.withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.31.4+k3s1").endNodeInfo().endStatus();
        if (status != null) {
            b.editStatus().addNewCondition().withType("Ready").withStatus(status)
                    .withReason("True".equals(status) ? "KubeletReady" : "KubeletNotReady")
                    .withMessage("True".equals(status) ? "kubelet is posting ready status"
                            : "container runtime network not ready: cni plugin not initialized")
                    .endCondition().endStatus();
        }
        return b.build();
    }
}
