package dev.kubani.provision;

import dev.kubani.ansible.HostScope;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Problem;
import dev.kubani.inventory.Role;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Phase 1: the inventory loads, has no errors, and --limit selects some of its nodes. */
public final class ValidateInventoryPhase implements Phase {
    @Override
    public String title() {
        return "Validate the inventory";
    }

    /**
     * k8s_distribution: k0s: k0sctl applies the whole cluster file rendered from the inventory,
     * so the ansible-only flags have no meaning (one line, exit 2); the file must render, and
     * k0sctl must be installed (exit 3), before anything else happens.
     */
    private static void k0s(PhaseContext ctx, ProvisionRun run, Inventory inv) {
        ProvisionOptions o = run.options();
        List<String> flags = o.ansibleOnlyFlags();
        if (!flags.isEmpty()) {
            throw KubaniException.invalidInput(String.join(", ", flags) + (flags.size() == 1 ? " is" : " are")
                    + " for the K3s playbooks, but " + o.inventory() + " sets k8s_distribution: k0s, where k0sctl applies "
                    + "the whole cluster from the inventory: drop " + (flags.size() == 1 ? "it" : "them")
                    + " (k0s settings such as k0s_version, node_labels and node_taints go in the inventory)");
        }
        run.k0sctlDoc = dev.kubani.k0s.K0sctlConfig.forInventory(inv, o.allowNonTailscale());
        run.k0sctl = dev.kubani.k0s.K0sctl.locate(run.env());
        if (run.k0sctl == null) {
            throw KubaniException.unexpectedState("k0sctl is not installed on this machine ('k0sctl' not found on PATH), and "
                    + o.inventory() + " sets k8s_distribution: k0s: " + dev.kubani.k0s.K0sctl.INSTALL_HINT);
        }
        ctx.console().info("  k8s_distribution: k0s; k0sctl " + run.k0sctl + " applies the cluster");
    }

    /**
     * Whether the inventory selects k0s, read before the phases are assembled (k0sctl's phase
     * replaces the playbook's). An inventory that does not load counts as K3s: validation
     * then reports what is wrong with it.
     */
    public static boolean isK0s(Path inventory) {
        try {
            return "k0s".equals(Inventory.load(inventory).clusterConfig().distribution());
        } catch (RuntimeException e) {
            return false;
        }
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
        dev.kubani.inventory.ClusterConfig config = inv.clusterConfig();
        if (run.k0s != "k0s".equals(config.distribution())) {
            throw KubaniException.unexpectedState(o.inventory() + ": k8s_distribution changed while provision was starting; "
                    + "run it again");
        }
        // flags and tools are checked before the run holds the inventory, so a refusal prints no empty summary
        if (run.k0s) {
            k0s(ctx, run, inv);
        } else {
            o.effectivePlaybook();
        }
        run.inventory = inv;
        run.config = config;
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
