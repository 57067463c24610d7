package dev.kubani.cli.lab;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Table;
import dev.kubani.cli.Term;
import dev.kubani.lab.LabNode;
import dev.kubani.lab.LabPaths;
import dev.kubani.lab.LabPlan;
import dev.kubani.lab.Tools;
import dev.kubani.lab.Vagrant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cluster-mgr lab status}: each planned VM with its state in Vagrant (task vagrant:status). */
@Command(name = "status", description = "Show each planned VM and its Vagrant state (task vagrant:status).")
public final class LabStatusCommand extends BaseCommand {
    @Mixin
    LabOptions lab;

    @Override
    protected int execute() {
        LabPlan plan = lab.plan(root());
        LabPaths paths = lab.paths(root());
        Tools tools = new Tools(root().env().vars(), System.getProperty("os.name"));
        Path vagrantExe = tools.vagrant();
        tools.require("cluster-mgr lab status");
        Map<String, String> states = new Vagrant(vagrantExe, paths.dir(),
                Vagrant.environment(root().env().vars(), plan.settings())).status();
        List<Object> rows = new ArrayList<>();
        for (LabNode n : plan.nodes()) {
            Map<String, Object> m = n.toMap();
            m.put("state", states.getOrDefault(n.name(), "unknown"));
            rows.add(m);
        }
        if (Printer.structured(root(), rows)) {
            return 0;
        }
        Term t = term();
        Table table = new Table("NAME", "ROLE", "IP", "CPUS", "MEMORY", "STATE");
        for (LabNode n : plan.nodes()) {
            String s = states.getOrDefault(n.name(), "unknown");
            table.row(n.name(), n.k0sRole(), n.ip(), n.cpus(), n.memoryMb() + " MB", s.equals("running") ? t.green(s) : t.yellow(s));
        }
        table.print(t.out(), t);
        return 0;
    }
}
