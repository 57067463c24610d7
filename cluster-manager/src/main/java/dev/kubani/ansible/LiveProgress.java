package dev.kubani.ansible;

import dev.kubani.cli.Term;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * On a terminal: one live line per host (spinner, current step, tasks done, ok, changed,
 * failed), redrawn in place at most ten times a second. Failures scroll above the block as
 * they happen, so they stay on screen.
 */
public final class LiveProgress implements PlaybookRunner.Listener {
    private static final String[] SPIN = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private final Term term;
    private final PrintWriter out;
    private final int width;
    private int drawn;
    private int frame;
    private long lastDraw;
    private String header = "";

    public LiveProgress(Term term, int width) {
        this.term = term;
        this.out = term.out();
        this.width = Math.max(40, width);
    }

    @Override
    public synchronized void started(Path runDir, String commandLine) {
        out.println(term.dim("  " + commandLine));
        out.println(term.dim("  log: " + runDir.resolve("stdout")));
        out.flush();
    }

    @Override
    public synchronized void event(AnsibleEvent e, RunState state) {
        switch (e.event()) {
            case "play_start" -> header = "play: " + e.play();
            case "failed" -> {
                if (!e.ignoreErrors()) {
                    above(term.red("✗ ") + e.host() + ": failed at '" + e.step() + "': "
                            + FailureReport.oneLine(e.msg() == null ? "(no message)" : e.msg()), state);
                }
            }
            case "unreachable" -> above(term.red("✗ ") + e.host() + ": unreachable at '" + e.step() + "': "
                    + FailureReport.oneLine(e.msg() == null ? "(no message)" : e.msg()), state);
            default -> {
            }
        }
        long now = System.nanoTime() / 1_000_000;
        if (now - lastDraw >= 100 || e.event().equals("stats")) {
            draw(state, true);
        }
    }

    @Override
    public synchronized void tick(RunState state) {
        frame++;
        draw(state, true);
    }

    @Override
    public synchronized void stopping(RunState state) {
        above(term.yellow("stopping ansible (Ctrl-C again to stop it at once)..."), state);
    }

    /** Draws the final state without spinners. */
    public synchronized void finish(RunState state) {
        draw(state, false);
    }

    private void above(String line, RunState state) {
        clear();
        out.println(clip(line));
        draw(state, true);
    }

    private void clear() {
        if (drawn > 0) {
            out.print("\u001b[" + drawn + "A");
            for (int i = 0; i < drawn; i++) {
                out.print("\r\u001b[2K\n");
            }
            out.print("\u001b[" + drawn + "A");
            drawn = 0;
        }
    }

    private void draw(RunState state, boolean live) {
        List<String> lines = new ArrayList<>();
        lines.add(term.bold(header.isEmpty() ? "starting ansible-playbook" : header));
        int nameW = 4;
        for (String h : state.hosts().keySet()) {
            nameW = Math.max(nameW, h.length());
        }
        for (RunState.HostProgress hp : state.hosts().values()) {
            String mark;
            if (hp.unreachable() > 0 || hp.failed() > 0) {
                mark = term.red("✗");
            } else if (live) {
                mark = term.cyan(SPIN[frame % SPIN.length]);
            } else {
                mark = term.green("✓");
            }
            String counts = String.format("%3d done  ok %-3d changed %-3d failed %-3d", hp.done(), hp.ok(),
                    hp.changed(), hp.failed() + hp.unreachable());
            String step = hp.isBad() ? hp.result() : (hp.role() == null ? "" : hp.role() + " : ")
                    + (hp.task() == null ? "" : hp.task());
            lines.add(mark + " " + pad(hp.name(), nameW) + "  " + counts + "  " + term.dim(step));
        }
        if (drawn > 0) {
            out.print("\u001b[" + drawn + "A");
        }
        for (String l : lines) {
            out.print("\r\u001b[2K" + clip(l) + "\n");
        }
        // A block that shrank leaves old lines below; clear them.
        for (int i = lines.size(); i < drawn; i++) {
            out.print("\r\u001b[2K\n");
        }
        if (drawn > lines.size()) {
            out.print("\u001b[" + (drawn - lines.size()) + "A");
        }
        drawn = lines.size();
        out.flush();
        lastDraw = System.nanoTime() / 1_000_000;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** Cuts a line to the terminal width, not counting ANSI codes. */
    private String clip(String s) {
        StringBuilder sb = new StringBuilder();
        int visible = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u001b') {
                int m = s.indexOf('m', i);
                if (m > 0) {
                    sb.append(s, i, m + 1);
                    i = m;
                    continue;
                }
            }
            if (visible >= width - 1) {
                sb.append("…");
                if (term.color()) {
                    sb.append("\u001b[0m");
                }
                break;
            }
            sb.append(c);
            visible++;
        }
        return sb.toString();
    }
}
