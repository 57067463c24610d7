package dev.kubani.provision;

import dev.kubani.cluster.Drainer;
import dev.kubani.core.KubaniException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** remove-node step 1: cordon and drain, with a timeout, naming the pods that would not evict. */
public final class DrainNodePhase implements Phase {
    @Override
    public String title() {
        return "Drain the node";
    }

    @Override
    public boolean shouldRun(PhaseContext ctx) {
        return ctx.get(NodeRemoval.class).drain;
    }

    @Override
    public void run(PhaseContext ctx) throws Exception {
        NodeRemoval r = ctx.get(NodeRemoval.class);
        KubernetesClient client = r.client(ctx);
        if (client == null) {
            return;
        }
        Drainer.Report rep;
        try {
            rep = ctx.wet(r.node, "cordon and drain " + r.node, () -> new Drainer(client).drain(r.node, r.drainTimeout,
                    r.force, line -> ctx.console().info("  " + line), ctx.cancellation()::requested));
        } catch (KubernetesClientException e) {
            throw r.explain(e);
        }
        if (rep == null) {
            return;
        }
        if (!rep.nodeFound()) {
            ctx.console().info("  " + r.node + " is not registered in the cluster; nothing to drain");
            return;
        }
        for (String i : rep.ignored()) {
            ctx.console().info("  left in place: " + i);
        }
        if (rep.drained()) {
            r.drained = true;
            ctx.console().info("  drained: " + rep.evicted().size() + " pod" + (rep.evicted().size() == 1 ? "" : "s")
                    + " evicted");
            return;
        }
        ctx.console().failure("  pods that would not evict within " + r.drainTimeout.toSeconds() + " s:");
        for (Drainer.Stuck s : rep.stuck()) {
            ctx.console().failure("    " + s);
        }
        String what = "drain of " + r.node + " did not finish: " + rep.stuck().size() + " pod"
                + (rep.stuck().size() == 1 ? "" : "s") + " would not evict (first: " + rep.stuck().get(0) + ")";
        if (!r.force) {
            throw KubaniException.failed(what + "; the node stays cordoned ('kubectl uncordon " + r.node + "' to undo) "
                    + "and the inventory was not changed; fix the budgets, raise --drain-timeout, or pass --force");
        }
        r.forced.add(what);
        ctx.console().warn("--force: removing " + r.node + " although " + what);
    }
}
