package dev.kubani.provision;

import dev.kubani.ansible.JsonProgress;
import dev.kubani.ansible.LiveProgress;
import dev.kubani.ansible.PlainProgress;
import dev.kubani.ansible.PlaybookRunner;
import dev.kubani.ansible.RunState;
import dev.kubani.cli.Term;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an operation's progress goes, in one of three shapes: LIVE (a terminal: phase
 * headers, live per-host lines), PLAIN (no terminal: plain lines) or JSON (--output json: one
 * JSON object per line on stdout). With --output yaml, progress is PLAIN on stderr so stdout
 * holds only the final YAML document.
 */
public final class Console {
    public enum Mode { LIVE, PLAIN, JSON }

    private final Term term;
    private final Mode mode;
    private final PrintWriter out;
    private final int verbosity;
    private final int width;
    private LiveProgress live;

    public Console(Term term, Mode mode, PrintWriter out, int verbosity, int width) {
        this.term = term;
        this.mode = mode;
        this.out = out;
        this.verbosity = verbosity;
        this.width = width;
    }

    public Mode mode() {
        return mode;
    }

    public Term term() {
        return term;
    }

    public PrintWriter out() {
        return out;
    }

    public int verbosity() {
        return verbosity;
    }

    public boolean json() {
        return mode == Mode.JSON;
    }

    /** "==> title" (or a phase event in JSON). */
    public void phase(String title) {
        if (json()) {
            JsonProgress.line(out, obj("event", "phase", "title", title));
        } else {
            line(term.bold(term.cyan("==> ")) + term.bold(title));
        }
    }

    public void skipped(String title) {
        if (json()) {
            JsonProgress.line(out, obj("event", "phase_skipped", "title", title));
        } else if (verbosity >= 1) {
            line(term.dim("==> " + title + " (skipped)"));
        }
    }

    public void info(String message) {
        if (json()) {
            JsonProgress.line(out, obj("event", "info", "msg", message));
        } else {
            line(message);
        }
    }

    public void warn(String message) {
        if (json()) {
            JsonProgress.line(out, obj("event", "warning", "msg", message));
        } else {
            line(term.yellow("warning: ") + message);
        }
    }

    /** A failure line (red in LIVE). */
    public void failure(String message) {
        if (json()) {
            JsonProgress.line(out, obj("event", "error", "msg", message));
        } else {
            line(term.red(message));
        }
    }

    /** One structured object (JSON mode only). */
    public void json(Map<String, Object> m) {
        if (json()) {
            JsonProgress.line(out, m);
        }
    }

    private void line(String s) {
        synchronized (out) {
            out.println(s);
            out.flush();
        }
    }

    /** The view of an ansible run for this console. */
    public PlaybookRunner.Listener progress() {
        return switch (mode) {
            case JSON -> new JsonProgress(out);
            case PLAIN -> new PlainProgress(out, verbosity);
            case LIVE -> live = new LiveProgress(term, width);
        };
    }

    /** Draws the final live block (terminal only). */
    public void finishProgress(RunState state) {
        if (live != null) {
            live.finish(state);
            live = null;
        }
    }

    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(String.valueOf(kv[i]), kv[i + 1]);
        }
        return m;
    }
}
