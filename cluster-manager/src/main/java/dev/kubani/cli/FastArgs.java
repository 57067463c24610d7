package dev.kubani.cli;

import dev.kubani.cli.node.AddNodeCommand;
import dev.kubani.cli.node.DiscoverCommand;
import java.util.HashSet;
import java.util.Set;

/**
 * The start-up fast path of {@code discover} and {@code add-node}: their plain command lines are
 * parsed here without picocli, whose Java 5 classes, annotation proxies and converter registry
 * cost about 100 ms before a command runs (measured; bench/README.md). It accepts only the plain
 * forms — known options, each at most once, with a value that is separate or after '=', not
 * empty and not starting with '-' or '@', no quotes, '--', help or version — and declines
 * everything else (returns null), which picocli then parses as before, with its messages. So an
 * accepted command line sets exactly the fields picocli would set: {@code FastArgsTest} checks
 * the tables below against the commands' annotations, and random command lines against picocli.
 */
public final class FastArgs {
    /**
     * A command's options as the fast path knows them: flags (no value), options with one value,
     * the required ones, and how many positional parameters it takes.
     */
    public record Shape(Set<String> flags, Set<String> valued, Set<String> required, int minPositionals, int maxPositionals) {
    }

    /** The root's options (inherited by every subcommand, so they may come before or after it). */
    static final Set<String> ROOT_FLAGS = Set.of("--no-color");
    static final Set<String> ROOT_VALUED = Set.of("--inventory", "-o", "--output");

    private FastArgs() {
    }

    /** Runs the command line when the fast path takes it; null when picocli must parse it. */
    static Integer run(CliEnv env, String[] args) {
        ClusterMgr root = new ClusterMgr(env);
        BaseCommand cmd = parse(root, args);
        if (cmd == null) {
            return null;
        }
        cmd.fastRoot = root;
        try {
            return cmd.call();
        } catch (Exception e) {
            return Cli.handleExecutionError(e, root, env.err());
        }
    }

    /** The command with its fields and the root's set from {@code args}, or null to decline. */
    static BaseCommand parse(ClusterMgr root, String[] args) {
        BaseCommand cmd = null;
        Shape shape = null;
        Set<String> seen = new HashSet<>();
        int positionals = 0;
        int verbose = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.charAt(0) == '@' || a.indexOf('"') >= 0 || a.indexOf('\'') >= 0) {
                return null;
            }
            if (a.charAt(0) != '-') {
                if (cmd == null) {
                    cmd = create(a);
                    if (cmd == null) {
                        return null;
                    }
                    shape = cmd.fastShape();
                    continue;
                }
                if (positionals >= shape.maxPositionals() || !set(cmd, "#" + positionals, a)) {
                    return null;
                }
                positionals++;
                continue;
            }
            if (isVerbose(a)) {
                verbose += a.length() - 1;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0 && a.startsWith("--")) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            boolean rootOpt = ROOT_FLAGS.contains(name) || ROOT_VALUED.contains(name);
            boolean flag = ROOT_FLAGS.contains(name) || !rootOpt && cmd != null && shape.flags().contains(name);
            boolean valued = ROOT_VALUED.contains(name) || !rootOpt && cmd != null && shape.valued().contains(name);
            if (!flag && !valued || !seen.add(canonical(name))) {
                return null;
            }
            if (flag) {
                if (value != null) {
                    return null;
                }
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
            }
            if (valued && (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '@'
                    || value.indexOf('"') >= 0 || value.indexOf('\'') >= 0 || Commands.ALL.containsKey(value))) {
                return null;
            }
            if (rootOpt) {
                setRoot(root, name, value);
            } else if (!set(cmd, name, value)) {
                return null;
            }
        }
        if (cmd == null || positionals < shape.minPositionals()) {
            return null;
        }
        for (String r : shape.required()) {
            if (!seen.contains(r)) {
                return null;
            }
        }
        root.verbose = new boolean[verbose];
        for (int v = 0; v < verbose; v++) {
            root.verbose[v] = true;
        }
        return cmd;
    }

    private static BaseCommand create(String name) {
        return switch (name) {
            case "discover" -> new DiscoverCommand();
            case "add-node" -> new AddNodeCommand();
            default -> null;
        };
    }

    /** -v, -vv, -vvv ... */
    private static boolean isVerbose(String a) {
        if (a.length() < 2) {
            return false;
        }
        for (int i = 1; i < a.length(); i++) {
            if (a.charAt(i) != 'v') {
                return false;
            }
        }
        return true;
    }

    private static String canonical(String name) {
        return name.equals("-o") ? "--output" : name;
    }

    private static boolean set(BaseCommand cmd, String name, String value) {
        try {
            return cmd.fastSet(name, value);
        } catch (RuntimeException e) {
            return false; // e.g. a path picocli's converter would reject: let picocli say so
        }
    }

    private static void setRoot(ClusterMgr root, String name, String value) {
        switch (name) {
            case "--no-color" -> root.noColor = true;
            case "--inventory" -> root.inventory = value;
            default -> root.output = value;
        }
    }
}
