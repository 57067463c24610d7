package dev.kubani.provision;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The cluster both remove-node tests start from, in the mock API server that stands in for the
 * distribution's API server: nothing but the nodes cp1 (control plane), w1 and w2, all Ready,
 * and one DaemonSet pod on w1, which a drain leaves in place.
 */
final class RemoveNodeScene {
    /** Builds a Node: name, control plane or not, InternalIP, Ready status. */
    interface NodeFactory {
        Node node(String name, boolean controlPlane, String ip, String ready);
    }

    private RemoveNodeScene() {
    }

    static void seed(KubernetesClient client, NodeFactory nodes, String daemonSet) {
        client.pods().inAnyNamespace().delete();
        client.nodes().delete();
        client.policy().v1().podDisruptionBudget().inAnyNamespace().delete();
        client.nodes().resource(nodes.node("cp1", true, "100.64.0.1", "True")).create();
        client.nodes().resource(nodes.node("w1", false, "100.64.0.2", "True")).create();
        client.nodes().resource(nodes.node("w2", false, "100.64.0.3", "True")).create();
        client.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata()
                .withName(daemonSet + "-w1").withNamespace("kube-system").addNewOwnerReference().withKind("DaemonSet")
                .withName(daemonSet).withApiVersion("apps/v1").withUid("ds").withController(true).endOwnerReference()
                .endMetadata().withNewSpec().withNodeName("w1").endSpec().build()).create();
    }
}
