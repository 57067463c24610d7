package dev.kubani.cli.k0s;

import picocli.CommandLine.Command;

/** {@code cluster-mgr k0sctl}: only lists the k0sctl subcommands. */
@Command(mixinStandardHelpOptions = true, name = "k0sctl", description = "k0s as the cluster's distribution (k8s_distribution: k0s): k0sctl's cluster file.",
        subcommands = {K0sctlRenderCommand.class})
public final class K0sctlCommand {
}
