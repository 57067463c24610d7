package dev.kubani.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The subcommands of cluster-mgr, by name, as class names. Only the command being run is
 * loaded and modelled by picocli, which keeps start-up fast; help and completion load all.
 * Add a command here (in the order --help should list it).
 */
public final class Commands {
    /** Root options that take a value, so the parser can skip it when looking for the command. */
    static final Set<String> ROOT_OPTIONS_WITH_VALUE = Set.of("--inventory", "-o", "--output");

    static final Map<String, String> ALL = new LinkedHashMap<>();

    static {
        add("discover", "dev.kubani.cli.node.DiscoverCommand");
        add("add-node", "dev.kubani.cli.node.AddNodeCommand");
        add("remove-node", "dev.kubani.cli.node.RemoveNodeCommand");
        add("provision", "dev.kubani.cli.provision.ProvisionCommand");
        add("plan", "dev.kubani.cli.provision.PlanCommand");
        add("config-get", "dev.kubani.cli.config.ConfigGetCommand");
        add("config-set", "dev.kubani.cli.config.ConfigSetCommand");
        add("status", "dev.kubani.cli.StatusCommand");
        add("tui", "dev.kubani.cli.TuiCommand");
        add("validate", "dev.kubani.cli.ValidateCommand");
        add("dns", "dev.kubani.cli.services.DnsCommand");
        add("verify", "dev.kubani.cli.services.VerifyCommand");
        add("secrets", "dev.kubani.cli.secrets.SecretsCommand");
        add("demo", "dev.kubani.cli.DemoCommand");
        add("lab", "dev.kubani.cli.lab.LabCommand");
        add("k0sctl", "dev.kubani.cli.k0s.K0sctlCommand");
        add("version", "dev.kubani.cli.VersionCommand");
        add("completion", "dev.kubani.cli.CompletionCommand");
    }

    private Commands() {
    }

    private static void add(String name, String cls) {
        ALL.put(name, cls);
    }

    /** The subcommand named in {@code args} (skipping root options), or null. */
    static String find(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return null;
            }
            if (a.startsWith("-")) {
                if (ROOT_OPTIONS_WITH_VALUE.contains(a)) {
                    i++;
                }
                continue;
            }
            return ALL.containsKey(a) ? a : null;
        }
        return null;
    }
}
