package dev.kubani.cli;

import dev.kubani.core.KubaniException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Yes/no questions on stderr, answered on stdin. */
public final class Prompt {
    private Prompt() {
    }

    /**
     * Asks {@code question} and returns true for "y" or "yes". With nothing to read (stdin
     * closed, as in scripts) it refuses with exit code 2 and says to pass --force.
     */
    public static boolean confirm(CliEnv env, Term term, String question) {
        term.out().flush();
        term.err().print(question + " [y/N] ");
        term.err().flush();
        String line;
        try {
            line = new BufferedReader(new InputStreamReader(env.in(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            line = null;
        }
        if (line == null) {
            term.err().println();
            throw KubaniException.invalidInput("no answer to the confirmation (stdin is closed); pass --force to skip it");
        }
        String a = line.trim().toLowerCase(java.util.Locale.ROOT);
        return a.equals("y") || a.equals("yes");
    }
}
