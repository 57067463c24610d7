package dev.kubani.cli.lab;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Term;
import dev.kubani.core.KubaniException;
import dev.kubani.lab.LabPaths;
import dev.kubani.lab.LabPlan;
import dev.kubani.lab.Tools;
import dev.kubani.lab.Vagrant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cluster-mgr lab down}: destroys every lab VM and the lab's kubeconfig (task vagrant:destroy). */
@Command(name = "down", description = {"Destroy the lab VMs and lab/kubeconfig (task vagrant:destroy).",
    "Nothing of the cluster survives (seed 003: no persistence)."})
public final class LabDownCommand extends BaseCommand {
    @Mixin
    LabOptions lab;

    @Override
    protected int execute() {
        LabPlan plan = lab.plan(root());
        LabPaths paths = lab.paths(root());
        Term t = term();
        Tools tools = new Tools(root().env().vars(), System.getProperty("os.name"));
        Path vagrantExe = tools.vagrant();
        tools.require("cluster-mgr lab down");
        Vagrant vagrant = new Vagrant(vagrantExe, paths.dir(), Vagrant.environment(root().env().vars(), plan.settings()));
        t.info("==> vagrant destroy");
        int code = vagrant.destroy(t.out()::println);
        t.out().flush();
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, String> e : vagrant.status().entrySet()) {
            if (!e.getValue().equals("not_created")) {
                left.add(e.getKey() + " (" + e.getValue() + ")");
            }
        }
        if (!left.isEmpty() || code != 0) {
            throw KubaniException.failed("lab down failed at step 'vagrant destroy'" + (left.isEmpty() ? "" : ": still there: "
                    + String.join(", ", left)) + (code != 0 ? " (vagrant exited with code " + code + ")" : "")
                    + "; run 'cluster-mgr lab down' again, or remove the VMs with your provider's own tool");
        }
        try {
            Files.deleteIfExists(paths.kubeconfig());
        } catch (IOException e) {
            throw KubaniException.failed("VMs destroyed, but " + paths.kubeconfig() + " could not be removed: " + e.getMessage());
        }
        t.info(t.green("✓ ") + "lab destroyed; the k0s-lab context in your kubeconfig now points at nothing "
                + "('kubectl config delete-context k0s-lab' removes it)");
        return 0;
    }
}
