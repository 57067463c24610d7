package dev.kubani.cli.config;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.OutputFormat;
import dev.kubani.cli.Printer;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cluster-mgr config-get KEY}: the effective value of a variable for a scope. */
@Command(name = "config-get", description = {"Show the effective value of a configuration variable.",
    "The scope decides precedence as Ansible does: host over group over all."})
public final class ConfigGetCommand extends BaseCommand {
    @Parameters(paramLabel = "KEY")
    String key;

    @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "all",
            description = "all (default), control_plane, workers, or a host name.")
    String scope;

    @Option(names = "--reveal", description = "Print values of secret-looking keys (tokens, passwords).")
    boolean reveal;

    @Override
    protected int execute() {
        List<String> k = ConfigValue.key(key);
        Inventory inv = Inventory.load(root().inventoryPath()).requireWellFormed();
        Object cur = inv.effectiveVars(scope);
        for (String part : k) {
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(part)) {
                throw KubaniException.failed(key + " is not set for scope " + scope + "; set it with 'cluster-mgr config-set "
                        + key + " VALUE" + (scope.equals("all") ? "" : " --scope " + scope) + "'");
            }
            cur = m.get(part);
        }
        if (ConfigValue.secret(k) && !reveal) {
            cur = "(hidden; pass --reveal to print it)";
        }
        if (root().outputFormat() == OutputFormat.TABLE) {
            if (cur instanceof Map || cur instanceof List) {
                root().env().out().print(Printer.yaml(cur));
            } else {
                root().env().out().println(cur == null ? "null" : cur);
            }
            root().env().out().flush();
        } else {
            Printer.structured(root(), cur);
        }
        return 0;
    }
}
