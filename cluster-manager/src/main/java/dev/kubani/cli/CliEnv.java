package dev.kubani.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a command may take from the process: environment variables, working directory,
 * standard streams and whether a person sits at a terminal. Tests build their own.
 */
public record CliEnv(Map<String, String> vars, Path cwd, PrintWriter out, PrintWriter err,
                     InputStream in, boolean tty) {

    public static CliEnv system(PrintWriter out, PrintWriter err) {
        return new CliEnv(System.getenv(), Path.of("").toAbsolutePath(), out, err, System.in, Term.isTerminal());
    }

    public String var(String name) {
        return vars.get(name);
    }
}
