package dev.kubani.cli.lab;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Term;
import dev.kubani.core.KubaniException;
import dev.kubani.k0s.K0sctl;
import dev.kubani.lab.LabPaths;
import dev.kubani.lab.LabPlan;
import dev.kubani.lab.Tools;
import dev.kubani.lab.Vagrant;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cluster-mgr lab apply}: installs k0s on the running VMs with k0sctl (task cluster:apply). */
@Command(name = "apply", description = {"Install k0s on the lab VMs with 'k0sctl apply' (task cluster:apply).",
    "Rewrites lab/k0sctl.yaml from the plan first. A failure names the phase and the VM."})
public final class LabApplyCommand extends BaseCommand {
    @Mixin
    LabOptions lab;

    @Override
    protected int execute() {
        LabPlan plan = lab.plan(root());
        LabPaths paths = lab.paths(root());
        Term t = term();
        Tools tools = new Tools(root().env().vars(), System.getProperty("os.name"));
        Path k0sctlExe = tools.k0sctl();
        Path vagrantExe = tools.vagrant();
        tools.require("cluster-mgr lab apply");
        Vagrant vagrant = new Vagrant(vagrantExe, paths.dir(), Vagrant.environment(root().env().vars(), plan.settings()));
        LabSupport.requireRunning(vagrant, plan, "cluster apply", " (start the lab with 'cluster-mgr lab up')");
        Path config = LabSupport.writeK0sctl(plan, paths);
        t.info("==> k0sctl apply --config " + config);
        K0sctl k0sctl = new K0sctl(k0sctlExe, root().env().vars(), paths.dir());
        K0sctl.Result r = k0sctl.apply(config, plan.namesByIp(), t.out()::println, phase -> { });
        t.out().flush();
        if (!r.ok()) {
            throw KubaniException.failed("lab failed at step 'cluster apply': " + r.describe() + "; " + LabSupport.REBUILD
                    + " and 'cluster-mgr lab apply'");
        }
        t.info(t.green("✓ ") + "k0s installed on " + plan.nodes().size() + " VMs; next: cluster-mgr lab kubeconfig");
        return 0;
    }
}
