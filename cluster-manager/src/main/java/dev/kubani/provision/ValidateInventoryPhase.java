package dev.kubani.provision;

import dev.kubani.ansible.HostScope;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Problem;
import dev.kubani.inventory.Role;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Phase 1: the inventory loads, has no errors, and --limit selects some of its nodes. */
public final class ValidateInventoryPhase implements Phase {
    @Override
    public String title() {
        return "Validate the inventory";
    }

    @Override
    public void run(PhaseContext ctx) {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        ProvisionOptions o = run.options();
        Inventory inv = Inventory.load(o.inventory());
        List<Problem> problems = inv.validate(o.allowNonTailscale());
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        for (Problem p : problems) {
            if (p.isError()) {
                ctx.console().failure("  error: " + p);
            } else {
                ctx.console().warn(p.toString());
            }
        }
        if (!errors.isEmpty()) {
            throw KubaniException.invalidInput(o.inventory() + " has " + errors.size() + " error"
                    + (errors.size() == 1 ? "" : "s") + ", first: " + errors.get(0)
                    + "; fix them ('cluster-mgr validate' lists them all) and run again");
        }
        if (inv.nodes().isEmpty()) {
            throw KubaniException.invalidInput(o.inventory() + " has no nodes; add one with "
                    + "'cluster-mgr add-node NAME IP --role control-plane'");
        }
        run.inventory = inv;
        run.config = inv.clusterConfig();
        if ("k0s".equalsIgnoreCase(run.config.distribution())) {
            throw KubaniException.invalidInput("k8s_distribution is 'k0s' in " + o.inventory() + ": this command drives "
                    + "the K3s playbooks; apply a k0s cluster with k0sctl, or set k8s_distribution: k3s");
        }
        Set<String> selected = o.limit() == null || o.limit().isBlank() ? null
                : new HashSet<>(HostScope.resolve(o.ansibleDir(), run.env(), o.inventory(), o.limit()));
        for (dev.kubani.inventory.Node n : inv.nodes()) {
            run.roles.put(n.hostname(), n.role());
            if (selected == null || selected.contains(n.hostname())) {
                run.scope.add(n.hostname());
            }
        }
        if (run.scope.isEmpty()) {
            throw KubaniException.invalidInput("--limit '" + o.limit() + "' selects no control-plane or worker node of "
                    + o.inventory());
        }
        long cps = run.scope.stream().filter(h -> run.roles.get(h) == Role.CONTROL_PLANE).count();
        ctx.console().info("  " + o.inventory() + ": cluster " + run.config.clusterName() + ", " + inv.nodes().size()
                + " node" + (inv.nodes().size() == 1 ? "" : "s") + (selected == null ? "" : ", " + run.scope.size()
                + " in --limit") + " (" + cps + " control plane, " + (run.scope.size() - cps) + " worker"
                + (run.scope.size() - cps == 1 ? "" : "s") + ")");
    }
}
