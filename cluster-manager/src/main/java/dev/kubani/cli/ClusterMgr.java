package dev.kubani.cli;

import dev.kubani.config.Preferences;
import dev.kubani.core.KubaniException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command. It only lists subcommands and holds the global options. */
@Command(name = "cluster-mgr",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Turn the machines on your tailnet into one Kubernetes cluster.",
        synopsisSubcommandLabel = "COMMAND")
public final class ClusterMgr {
    public static final String DEFAULT_INVENTORY = "ansible/inventory/hosts.yml";

    private final CliEnv env;
    private Preferences prefs;
    private Term term;

    @Option(names = "--inventory", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Ansible inventory (default: $KUBANI_INVENTORY, the preference file, or "
                    + DEFAULT_INVENTORY + ").")
    String inventory;

    @Option(names = "-v", scope = ScopeType.INHERIT,
            description = "More output: -v, -vv, -vvv (-vvv also shows stack traces).")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            description = "Output format: table, json or yaml (default: table).")
    String output;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "Plain text, no ANSI colours (NO_COLOR is honoured too).")
    boolean noColor;

    public ClusterMgr(CliEnv env) {
        this.env = env;
    }

    public CliEnv env() {
        return env;
    }

    public int verbosity() {
        return verbose.length;
    }

    /** Preferences are read on first use only, so commands that need none start faster. */
    public Preferences prefs() {
        if (prefs == null) {
            prefs = Preferences.load(env.vars());
        }
        return prefs;
    }

    public OutputFormat outputFormat() {
        if (output != null) {
            return OutputFormat.parse(output, "--output");
        }
        return prefs().output().map(o -> OutputFormat.parse(o, "config.toml output")).orElse(OutputFormat.TABLE);
    }

    public Term term() {
        if (term == null) {
            boolean color;
            if (noColor || env.var("NO_COLOR") != null && !env.var("NO_COLOR").isEmpty()) {
                color = false;
            } else {
                String pref = prefs().color().orElse("auto");
                color = switch (pref) {
                    case "always" -> true;
                    case "never" -> false;
                    default -> env.tty() && !"dumb".equals(env.var("TERM"));
                };
            }
            term = new Term(env.out(), env.err(), color, env.tty());
        }
        return term;
    }

    /**
     * The inventory file: --inventory, then $KUBANI_INVENTORY, then the preference file, then
     * ansible/inventory/hosts.yml under the working directory or, failing that, under
     * $KUBANI_HOME (the checkout the launcher runs from).
     */
    public Path inventoryPath() {
        String chosen = inventory;
        if (chosen == null) {
            chosen = env.var("KUBANI_INVENTORY");
        }
        if (chosen == null || chosen.isBlank()) {
            chosen = prefs().inventory().orElse(null);
        }
        if (chosen != null && !chosen.isBlank()) {
            Path p = Path.of(expandHome(chosen));
            return p.isAbsolute() ? p : env.cwd().resolve(p).normalize();
        }
        Path local = env.cwd().resolve(DEFAULT_INVENTORY);
        if (!Files.exists(local) && env.var("KUBANI_HOME") != null) {
            Path home = Path.of(env.var("KUBANI_HOME")).resolve(DEFAULT_INVENTORY);
            if (Files.exists(home)) {
                return home;
            }
        }
        return local;
    }

    /** The checkout Kubani runs from, for its bundled files (playbooks, examples). */
    public Path home() {
        String h = env.var("KUBANI_HOME");
        if (h != null && !h.isBlank()) {
            return Path.of(h);
        }
        Path p = env.cwd();
        while (p != null) {
            if (Files.isDirectory(p.resolve("ansible")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw KubaniException.unexpectedState("cannot find the Kubani checkout: run from inside it or set KUBANI_HOME");
    }

    private String expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return System.getProperty("user.home") + p.substring(1);
        }
        return p;
    }
}
