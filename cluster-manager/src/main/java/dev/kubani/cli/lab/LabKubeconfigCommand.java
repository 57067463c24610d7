package dev.kubani.cli.lab;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Term;
import dev.kubani.core.KubaniException;
import dev.kubani.k0s.K0sctl;
import dev.kubani.kube.KubeConnect;
import dev.kubani.lab.KubeconfigMerge;
import dev.kubani.lab.LabPaths;
import dev.kubani.lab.LabPlan;
import dev.kubani.lab.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cluster-mgr lab kubeconfig}: fetches the lab's admin kubeconfig, writes lab/kubeconfig
 * (0600) and merges it as context k0s-lab without switching the current context
 * (task cluster:kubeconfig).
 */
@Command(name = "kubeconfig", description = {"Export the lab's kubeconfig to lab/kubeconfig (mode 0600) and merge it into "
        + "your kubeconfig as context k0s-lab (task cluster:kubeconfig).",
    "The current context is not switched: use 'kubectl --context k0s-lab' or 'kubectl config use-context k0s-lab'."})
public final class LabKubeconfigCommand extends BaseCommand {
    public static final String CONTEXT = LabPlan.CLUSTER_NAME;

    @Mixin
    LabOptions lab;

    @Option(names = "--from", paramLabel = "FILE",
            description = "Import this kubeconfig instead of asking k0sctl (e.g. one saved from 'k0sctl kubeconfig').")
    Path from;

    @Option(names = "--no-merge", description = "Only write lab/kubeconfig; leave your kubeconfig alone.")
    boolean noMerge;

    @Override
    protected int execute() {
        LabPaths paths = lab.paths(root());
        Term t = term();
        String text;
        String source;
        if (from != null) {
            Path f = from.isAbsolute() ? from : root().env().cwd().resolve(from);
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw KubaniException.invalidInput("--from " + f + ": cannot read (" + e.getMessage() + ")");
            }
            source = f.toString();
        } else {
            Tools tools = new Tools(root().env().vars(), System.getProperty("os.name"));
            Path exe = tools.k0sctl();
            tools.require("cluster-mgr lab kubeconfig");
            if (!Files.isRegularFile(paths.k0sctlYaml())) {
                throw KubaniException.unexpectedState(paths.k0sctlYaml() + " does not exist: bring the lab up and apply it first "
                        + "('cluster-mgr lab up', 'cluster-mgr lab apply')");
            }
            text = new K0sctl(exe, root().env().vars(), paths.dir()).kubeconfig(paths.k0sctlYaml());
            source = "the output of 'k0sctl kubeconfig'";
        }
        Map<String, Object> lab = KubeconfigMerge.renamed(text, CONTEXT, source);
        try {
            KubeconfigMerge.writeSecret(paths.kubeconfig(), KubeconfigMerge.dump(lab));
        } catch (IOException e) {
            throw KubaniException.failed("cannot write " + paths.kubeconfig() + ": " + e.getMessage());
        }
        Path target = KubeConnect.kubeconfigPath(root().env().vars());
        boolean merge = !noMerge && !target.toAbsolutePath().normalize().equals(paths.kubeconfig());
        String current = null;
        if (merge) {
            try {
                // the same merge as provision's: replaces the k0s-lab entries, never switches a current context
                current = dev.kubani.provision.Kubeconfig.mergeInto(target, KubeconfigMerge.dump(lab), CONTEXT, false)
                        .currentContext();
            } catch (IOException e) {
                throw KubaniException.failed("cannot update " + target + ": " + e.getMessage() + " (check its permissions)");
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kubeconfig", paths.kubeconfig().toString());
        data.put("context", CONTEXT);
        data.put("merged_into", merge ? target.toString() : null);
        data.put("current_context", current);
        if (Printer.structured(root(), data)) {
            return 0;
        }
        t.info(t.green("✓ ") + "wrote " + paths.kubeconfig() + " (mode 0600, context " + CONTEXT + ")");
        if (merge) {
            t.info(t.green("✓ ") + "merged context " + CONTEXT + " into " + target + "; current context "
                    + (CONTEXT.equals(current) ? "set to " + CONTEXT + " (there was none)" : "unchanged (" + current + ")"));
            t.info("  use it: kubectl --context " + CONTEXT + " get nodes");
        }
        return 0;
    }
}
