package dev.kubani.ansible;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Without a terminal (CI, pipes): plain lines, no cursor movement. Plays, changes and
 * failures always; every task and ok result with -v; ansible's own output too with -vv.
 */
public final class PlainProgress implements PlaybookRunner.Listener {
    private final PrintWriter out;
    private final int verbosity;

    public PlainProgress(PrintWriter out, int verbosity) {
        this.out = out;
        this.verbosity = verbosity;
    }

    @Override
    public synchronized void started(Path runDir, String commandLine) {
        out.println("  " + commandLine);
        out.println("  log: " + runDir.resolve("stdout"));
        out.flush();
    }

    @Override
    public synchronized void event(AnsibleEvent e, RunState state) {
        String line = switch (e.event()) {
            case "play_start" -> "PLAY " + e.play();
            case "task_start" -> verbosity >= 1 ? "TASK " + e.step() : null;
            case "changed" -> "  changed      " + e.host() + "  " + e.step()
                    + (e.paths().isEmpty() ? "" : " (" + String.join(", ", e.paths()) + ")");
            case "ok" -> verbosity >= 1 ? "  ok           " + e.host() + "  " + e.step() : null;
            case "skipped" -> verbosity >= 1 ? "  skipped      " + e.host() + "  " + e.step() : null;
            case "failed" -> (e.ignoreErrors() ? "  ignored      " : "  FAILED       ") + e.host() + "  " + e.step()
                    + ": " + FailureReport.oneLine(e.msg() == null ? "(no message)" : e.msg());
            case "unreachable" -> "  UNREACHABLE  " + e.host() + "  " + e.step() + ": "
                    + FailureReport.oneLine(e.msg() == null ? "(no message)" : e.msg());
            default -> null;
        };
        if (line != null) {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public synchronized void rawLine(String line) {
        if (verbosity >= 2) {
            out.println("  | " + line);
            out.flush();
        }
    }

    @Override
    public synchronized void stopping(RunState state) {
        out.println("stopping ansible (interrupt again to stop it at once)...");
        out.flush();
    }
}
