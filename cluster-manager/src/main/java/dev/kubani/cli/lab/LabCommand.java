package dev.kubani.cli.lab;

import picocli.CommandLine.Command;

/** {@code cluster-mgr lab}: only lists the lab's subcommands. */
@Command(mixinStandardHelpOptions = true, name = "lab", description = {"The local multi-node k0s lab on Vagrant VMs (seed 003).",
    "Typical run: lab up, lab apply, lab kubeconfig, lab health; lab down removes it."},
        subcommands = {LabPlanCommand.class, LabUpCommand.class, LabApplyCommand.class, LabKubeconfigCommand.class,
            LabHealthCommand.class, LabStatusCommand.class, LabDownCommand.class})
public final class LabCommand {
}
