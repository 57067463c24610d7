package dev.kubani.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The terminal a command writes to: stdout, stderr and whether ANSI colour is on. Colour is on
 * only when stdout is a terminal, NO_COLOR is unset, and neither --no-color nor the preference
 * file turns it off ("always" in the preference file forces it on).
 */
public final class Term {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean color;
    private final boolean interactive;

    public Term(PrintWriter out, PrintWriter err, boolean color, boolean interactive) {
        this.out = out;
        this.err = err;
        this.color = color;
        this.interactive = interactive;
    }

    public static Term system(boolean color) {
        return new Term(writer(System.out), writer(System.err), color, isTerminal());
    }

    private static PrintWriter writer(PrintStream s) {
        return new PrintWriter(new java.io.OutputStreamWriter(s, StandardCharsets.UTF_8), true);
    }

    /** True when stdout is attached to a terminal (not a pipe or a file). */
    public static boolean isTerminal() {
        return System.console() != null;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean color() {
        return color;
    }

    public boolean interactive() {
        return interactive;
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String cyan(String s) {
        return wrap("36", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** Prints "error: message" on stderr. */
    public void error(String message) {
        out.flush();
        err.println(red("error: ") + message);
        err.flush();
    }

    public void warn(String message) {
        out.flush();
        err.println(yellow("warning: ") + message);
        err.flush();
    }

    public void info(String message) {
        out.println(message);
    }
}
