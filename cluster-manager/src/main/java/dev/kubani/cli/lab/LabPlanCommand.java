package dev.kubani.cli.lab;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Table;
import dev.kubani.cli.Term;
import dev.kubani.lab.LabNode;
import dev.kubani.lab.LabPaths;
import dev.kubani.lab.LabPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cluster-mgr lab plan}: the lab's VMs, roles, IPs and resources; the Vagrantfile reads its JSON. */
@Command(name = "plan", description = {"Show the lab plan: VM names, roles, static IPs and resources.",
    "The Vagrantfile and lab/k0sctl.yaml are built from 'lab plan --output json'."})
public final class LabPlanCommand extends BaseCommand {
    @Mixin
    LabOptions lab;

    @Override
    protected int execute() {
        LabPlan plan = lab.plan(root());
        LabPaths paths = lab.paths(root());
        LabSupport.warnings(term(), plan);
        if (Printer.structured(root(), plan.toMap(paths))) {
            return 0;
        }
        Term t = term();
        int cps = plan.controllers().size();
        t.info("k0s lab, " + plan.mode() + " mode: " + cps + " controller" + (cps == 1 ? "" : "s") + " ("
                + LabPlan.workloadControllers(cps) + " running workloads) + " + plan.workers().size() + " worker"
                + (plan.workers().size() == 1 ? "" : "s") + "; provider " + plan.settings().provider() + " ("
                + plan.settings().provider().box() + "), subnet " + plan.settings().subnet());
        Table table = new Table("NAME", "CLASS", "ROLE", "IP", "CPUS", "MEMORY", "DISK");
        for (LabNode n : plan.nodes()) {
            table.row(n.name(), n.nodeClass().id(), n.k0sRole(), n.ip(), n.cpus(), n.memoryMb() + " MB", n.diskGb() + " GB");
        }
        table.print(t.out(), t);
        return 0;
    }
}
