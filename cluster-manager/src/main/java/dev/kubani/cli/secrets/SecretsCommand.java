package dev.kubani.cli.secrets;

import picocli.CommandLine.Command;

/** {@code cluster-mgr secrets}: the group of SOPS + age secret commands. */
@Command(name = "secrets", description = "Manage SOPS-encrypted secrets (age keys) for the GitOps tree.",
        subcommands = {SecretsInitCommand.class, SecretsCreateCommand.class, SecretsRotateCommand.class,
            SecretsShowCommand.class})
public final class SecretsCommand {
}
