package dev.kubani.cli.provision;

import dev.kubani.cli.BaseCommand;
import dev.kubani.provision.ProvisionOptions;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cluster-mgr provision}: validate, check the tailnet, run the playbook, merge the kubeconfig, wait Ready. */
@Command(name = "provision", description = {"Provision the cluster: validate the inventory, check the tailnet, run the "
        + "playbook with live progress, merge the kubeconfig, wait until every node is Ready.",
    "With k8s_distribution: k0s, 'k0sctl apply' of the k0sctl.yaml rendered from the inventory runs in place of the "
        + "playbook (--playbook, --tags, --skip-tags, --limit and --extra-vars are K3s-only and refused).",
    "Exit codes: 0 ok, 1 a host failed, 2 bad input, 3 tailnet or API not usable, 130 stopped by Ctrl-C."})
public final class ProvisionCommand extends BaseCommand {
    @Mixin
    ProvisionFlags flags;

    @Option(names = "--check", description = "Dry run: ansible --check --diff (k0s: k0sctl apply --dry-run), showing per host what would change.")
    boolean check;

    @Option(names = "--switch-context", description = "Make the cluster's context the current kubectl context.")
    boolean switchContext;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "300s",
            description = "How long to wait for nodes to be Ready (default: ${DEFAULT-VALUE}).")
    String readyTimeout;

    @Option(names = "--no-wait", description = "Do not wait for the nodes to be Ready (k0s: also k0sctl apply --no-wait).")
    boolean noWait;

    @Override
    protected int execute() throws Exception {
        Path home = root().home();
        Path cwd = root().env().cwd();
        ProvisionOptions o = new ProvisionOptions(home, root().inventoryPath(),
                flags.givenPlaybook(home, cwd), flags.limit, flags.tags, flags.skipTags,
                flags.checkedExtraVars(cwd), check, root().verbosity(), switchContext, !noWait,
                ProvisionFlags.duration(readyTimeout, "--ready-timeout"), flags.statusFile, flags.allowNonTailscale);
        return Provisioning.run(root(), o);
    }
}
