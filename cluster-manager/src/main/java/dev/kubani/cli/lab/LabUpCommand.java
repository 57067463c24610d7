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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cluster-mgr lab up}: creates and boots the planned VMs (task vagrant:up). */
@Command(name = "up", description = {"Create and boot the lab VMs with Vagrant (task vagrant:up).",
    "Makes the lab SSH key on first use and writes lab/k0sctl.yaml. Fails, naming the VM, unless every VM runs."})
public final class LabUpCommand extends BaseCommand {
    @Mixin
    LabOptions lab;

    @Override
    protected int execute() {
        LabPlan plan = lab.plan(root());
        LabPaths paths = lab.paths(root());
        Term t = term();
        Tools tools = new Tools(root().env().vars(), System.getProperty("os.name"));
        Path vagrantExe = tools.vagrant();
        Path keygen = tools.sshKeygen();
        Vagrant vagrant = vagrantExe == null ? null
                : new Vagrant(vagrantExe, paths.dir(), Vagrant.environment(root().env().vars(), plan.settings()));
        tools.provider(plan.settings().provider(), vagrant == null ? null : vagrant.pluginList());
        tools.require("cluster-mgr lab up");
        if (!Files.isRegularFile(paths.vagrantfile())) {
            throw KubaniException.invalidInput("--lab-dir " + paths.dir() + " has no Vagrantfile; point --lab-dir at the lab/ "
                    + "directory of the Kubani checkout");
        }
        LabSupport.warnings(t, plan);
        ensureKey(keygen, paths);
        LabSupport.writeK0sctl(plan, paths);
        t.info("==> vagrant up: " + plan.nodes().size() + " VMs on " + plan.settings().provider());
        int code = vagrant.up(plan.settings().provider(), t.out()::println);
        t.out().flush();
        LabSupport.requireRunning(vagrant, plan, "vagrant up", code == 0 ? null : " (vagrant up exited with code " + code + ")");
        if (code != 0) {
            throw KubaniException.failed("lab failed at step 'vagrant up': vagrant exited with code " + code
                    + " although every VM runs (a provisioner failed; see its output above); " + LabSupport.REBUILD);
        }
        t.info(t.green("✓ ") + plan.nodes().size() + " VMs running; next: cluster-mgr lab apply");
        return 0;
    }

    /** The lab's own key pair, made once with ssh-keygen (no passphrase: it only opens throwaway VMs). */
    static void ensureKey(Path keygen, LabPaths paths) {
        if (Files.isRegularFile(paths.sshKey()) && Files.isRegularFile(paths.sshPublicKey())) {
            return;
        }
        try {
            Path dir = paths.sshKey().getParent();
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.deleteIfExists(paths.sshKey());
            Files.deleteIfExists(paths.sshPublicKey());
            Process p = new ProcessBuilder(List.of(keygen.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "kubani-lab",
                    "-f", paths.sshKey().toString())).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw KubaniException.failed("ssh-keygen could not make " + paths.sshKey() + ": " + out);
            }
        } catch (IOException e) {
            throw KubaniException.failed("cannot make the lab SSH key " + paths.sshKey() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KubaniException.failed("interrupted while making the lab SSH key");
        }
    }
}
