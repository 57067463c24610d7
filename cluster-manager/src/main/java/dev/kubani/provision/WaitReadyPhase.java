package dev.kubani.provision;

import dev.kubani.cluster.NodeReadiness;
import dev.kubani.core.KubaniException;
import dev.kubani.kube.KubeConnect;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Phase 5: every node in scope reports Ready within --ready-timeout (Property 10). Runs when
 * the playbook succeeded and could have installed or joined K3s (no --tags, or k3s tags).
 */
public final class WaitReadyPhase implements Phase {
    @Override
    public String title() {
        return "Wait for the nodes to be Ready";
    }

    @Override
    public boolean shouldRun(PhaseContext ctx) {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        ProvisionOptions o = run.options();
        return !o.check() && o.waitReady() && o.touchesK3s() && run.result() != null && run.result().ok();
    }

    @Override
    public void run(PhaseContext ctx) throws Exception {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        String cluster = run.config().clusterName();
        KubeConnect.Target target = KubeConnect.target(run.env(), cluster);
        try (KubernetesClient client = KubeConnect.client(target, KubeConnect.DEFAULT_TIMEOUT)) {
            Map<String, String> states = waitFor(ctx, client, run.scope(), run);
            run.readiness.putAll(states);
            List<String> bad = new ArrayList<>();
            states.forEach((n, s) -> {
                if (!NodeReadiness.READY.equals(s)) {
                    bad.add(n + " (" + s + ")");
                }
            });
            if (!bad.isEmpty()) {
                throw KubaniException.failed("not Ready after " + run.options().readyTimeout().toSeconds() + " s: "
                        + String.join(", ", bad) + "; check 'kubectl --context " + cluster + " describe node NAME' and "
                        + (run.k0s() ? "'sudo journalctl -u k0scontroller -u k0sworker -n 100'"
                        : "'sudo journalctl -u k3s -u k3s-agent -n 100'") + " on the node");
            }
        } catch (KubernetesClientException e) {
            throw KubeConnect.explain(e, target);
        }
    }

    static Map<String, String> waitFor(PhaseContext ctx, KubernetesClient client, List<String> nodes, ProvisionRun run)
            throws InterruptedException {
        NodeReadiness r = new NodeReadiness(client, run.env().containsKey("KUBANI_READY_POLL_MS")
                ? java.time.Duration.ofMillis(Long.parseLong(run.env().get("KUBANI_READY_POLL_MS")))
                : java.time.Duration.ofSeconds(2));
        return r.await(nodes, run.options().readyTimeout(), (n, s) -> {
            run.readiness.put(n, s);
            ctx.console().info("  " + (NodeReadiness.READY.equals(s) ? ctx.console().term().green("✓ ") : "… ")
                    + n + ": " + s);
        }, ctx.cancellation()::requested);
    }
}
