package dev.kubani.provision;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** remove-node step 2: delete the Node object (K3s then drops a server's etcd member too). */
public final class DeleteNodePhase implements Phase {
    @Override
    public String title() {
        return "Delete the Node";
    }

    @Override
    public void run(PhaseContext ctx) throws Exception {
        NodeRemoval r = ctx.get(NodeRemoval.class);
        KubernetesClient client = r.client(ctx);
        if (client == null) {
            return;
        }
        try {
            if (client.nodes().withName(r.node).get() == null) {
                ctx.console().info("  " + r.node + " is not registered in the cluster; nothing to delete");
                r.deleted = true;
                return;
            }
            ctx.wet(r.node, "delete Node " + r.node, () -> {
                client.nodes().withName(r.node).delete();
                r.deleted = true;
            });
            if (r.deleted) {
                ctx.console().info("  deleted Node " + r.node);
            }
        } catch (KubernetesClientException e) {
            throw r.explain(e);
        }
    }
}
