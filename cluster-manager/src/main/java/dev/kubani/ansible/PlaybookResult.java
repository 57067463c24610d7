package dev.kubani.ansible;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a playbook run ended.
 *
 * @param ansibleExit  ansible-playbook's exit code (0 ok, 2 host failed, 3 unreachable, 4 parse
 *                     error, 5 bad options, 99 interrupted, 250 crash)
 * @param interrupted  the run was stopped (Ctrl-C or a signal)
 * @param outputTail   the last lines ansible printed, for errors that happen before any event
 */
public record PlaybookResult(int ansibleExit, RunState state, Path runDir, boolean interrupted, Duration elapsed,
                             List<String> outputTail, java.util.Map<String, String> moduleStderr) {

    public static final int ANSIBLE_HOST_FAILED = 2;
    public static final int ANSIBLE_UNREACHABLE = 3;
    public static final int ANSIBLE_PARSER_ERROR = 4;
    public static final int ANSIBLE_BAD_OPTIONS = 5;
    public static final int ANSIBLE_INTERRUPTED = 99;

    public boolean ok() {
        return ansibleExit == 0 && !interrupted && !state.anyFailed();
    }

    /**
     * ansible stopped before any host ran a task: bad playbook, inventory or options (exit 4
     * also means "hosts unreachable", so the events decide).
     */
    public boolean setupError() {
        return !interrupted && ansibleExit != 0 && state.hosts().isEmpty() && state.failures().isEmpty();
    }

    /** The failure with the module's stderr added when ansible only said "MODULE FAILURE". */
    public Failure explained(Failure f) {
        String extra = moduleStderr.get(f.host());
        if (extra == null || f.msg() == null || !f.msg().startsWith("MODULE FAILURE")) {
            return f;
        }
        return new Failure(f.host(), f.play(), f.role(), f.task(), "MODULE FAILURE: " + extra, f.unreachable());
    }

    /** The first line of ansible's own error output (the "ERROR! ..." line), or null. */
    public String errorLine() {
        for (String l : outputTail) {
            String s = l.strip();
            if (s.startsWith("ERROR!") || s.startsWith("[ERROR]")) {
                return s;
            }
        }
        for (int i = outputTail.size() - 1; i >= 0; i--) {
            if (!outputTail.get(i).isBlank()) {
                return outputTail.get(i).strip();
            }
        }
        return null;
    }
}
