package dev.kubani.provision;

import dev.kubani.kube.KubeConnect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Phase 4: the kubeconfig the role fetched from the first server (into the run directory), or
 * for k0s the one {@code k0sctl kubeconfig} prints (kept in memory only), is merged into
 * ~/.kube/config (or $KUBECONFIG) under the context cluster_name. The current context changes
 * only with --switch-context. The fetched copy is deleted afterwards.
 */
public final class MergeKubeconfigPhase implements Phase {
    @Override
    public String title() {
        return "Merge the kubeconfig";
    }

    @Override
    public boolean shouldRun(PhaseContext ctx) {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        return !run.options().check() && run.result() != null && run.result().ok();
    }

    @Override
    public void run(PhaseContext ctx) throws Exception {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        if (run.k0s()) {
            String text = K0sctlApplyPhase.k0sctl(run).kubeconfig(run.k0sctlConfig(), "cluster-mgr provision");
            merge(ctx, run, text);
            return;
        }
        Path fetched = run.result().runDir().resolve(RunPlaybookPhase.FETCHED_KUBECONFIG);
        if (!Files.isRegularFile(fetched)) {
            run.kubeconfigNote = "not fetched in this run";
            ctx.console().info("  no kubeconfig was fetched in this run (the first server was left out by --limit or "
                    + "--tags, or K3s has not started there yet); the local kubeconfig is unchanged");
            return;
        }
        try {
            merge(ctx, run, Files.readString(fetched, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(fetched);
        }
    }

    /** Merges the cluster's kubeconfig {@code text} (a secret: never printed) under cluster_name. */
    private static void merge(PhaseContext ctx, ProvisionRun run, String text) throws Exception {
        Path target = KubeConnect.kubeconfigPath(run.env());
        String name = run.config().clusterName();
        {
            Kubeconfig.Merged m = ctx.wet("localhost", "merge the kubeconfig into " + target + " as context " + name,
                    () -> Kubeconfig.mergeInto(target, text, name, run.options().switchContext()));
            if (m != null) {
                run.kubeconfigNote = "context " + name + " in " + target;
                ctx.console().info("  context " + ctx.console().term().bold(name) + " in " + target
                        + (m.server() == null ? "" : " (API " + m.server() + ")"));
                if (!name.equals(m.currentContext())) {
                    ctx.console().info("  the current context stays " + m.currentContext() + "; reach this cluster with 'kubectl --context "
                            + name + "', or run again with --switch-context to make it current");
                } else if (m.switched()) {
                    ctx.console().info("  current context is now " + name);
                }
            }
        }
    }

    @Override
    public void cleanUp(PhaseContext ctx) throws Exception {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        if (run.result() != null) {
            Files.deleteIfExists(run.result().runDir().resolve(RunPlaybookPhase.FETCHED_KUBECONFIG));
        }
    }
}
