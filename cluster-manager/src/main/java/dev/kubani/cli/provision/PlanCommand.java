package dev.kubani.cli.provision;

import dev.kubani.cli.BaseCommand;
import dev.kubani.provision.ProvisionOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cluster-mgr plan}: provision --check --diff, showing per host what would change. */
@Command(name = "plan", description = {"Show per host what provision would change (ansible --check --diff; "
        + "k0s: k0sctl apply --dry-run); changes nothing.", "Exit codes: 0 ok, 1 a host failed, 2 bad input, 3 tailnet not usable."})
public final class PlanCommand extends BaseCommand {
    @Mixin
    ProvisionFlags flags;

    @Override
    protected int execute() throws Exception {
        Path home = root().home();
        Path cwd = root().env().cwd();
        ProvisionOptions o = new ProvisionOptions(home, root().inventoryPath(),
                flags.givenPlaybook(home, cwd), flags.limit, flags.tags, flags.skipTags,
                flags.checkedExtraVars(cwd), true, root().verbosity(), false, false, Duration.ZERO, flags.statusFile,
                flags.allowNonTailscale);
        return Provisioning.run(root(), o);
    }
}
