package dev.kubani.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code cluster-mgr version}. Kept free of YAML, JSON and preference loading: it must start fast. */
@Command(name = "version", description = "Show the version of cluster-mgr.")
public final class VersionCommand extends BaseCommand {

    public static String version() {
        return dev.kubani.core.Version.VERSION;
    }

    /** "cluster-mgr 0.1.0 (Java 17.0.15)". */
    public static String line() {
        return dev.kubani.core.Version.line();
    }

    @Override
    protected int execute() {
        String v = version();
        String java = System.getProperty("java.version");
        if (root().output != null && !root().output.equalsIgnoreCase("table")) {
            OutputFormat f = root().outputFormat();
            if (f == OutputFormat.JSON) {
                root().env().out().println("{\"version\":\"" + v + "\",\"java\":\"" + java + "\"}");
            } else {
                root().env().out().println("version: " + v + "\njava: \"" + java + "\"");
            }
        } else {
            root().env().out().println(line());
        }
        return 0;
    }

    /** Feeds {@code cluster-mgr --version}. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }
    }
}
