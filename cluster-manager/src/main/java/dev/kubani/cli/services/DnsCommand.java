package dev.kubani.cli.services;

import dev.kubani.cli.BaseCommand;
import dev.kubani.core.KubaniException;
import picocli.CommandLine.Command;

/** {@code cluster-mgr dns}: the group of {@code dns show} and {@code dns apply}. */
@Command(name = "dns", mixinStandardHelpOptions = true, description = "DNS records for the service host names (postgres., redis., auth. under your domain).",
        subcommands = {DnsShowCommand.class, DnsApplyCommand.class})
public final class DnsCommand extends BaseCommand {
    @Override
    protected int execute() {
        throw KubaniException.invalidInput("'cluster-mgr dns' needs a subcommand: show or apply (see 'cluster-mgr dns --help')");
    }
}
