package dev.kubani.ansible;

/**
 * A host that failed a task or could not be reached: the node, the play, role and task, and the
 * module's message (already censored by the callback for no_log tasks).
 */
public record Failure(String host, String play, String role, String task, String msg, boolean unreachable) {

    /** "role : task", or the task alone, or the play when there is no task. */
    public String step() {
        String t = task == null || task.isBlank() ? null : task;
        if (t == null) {
            return play == null ? "(before any task)" : "play '" + play + "'";
        }
        return role == null || t.startsWith(role + " : ") ? t : role + " : " + t;
    }

    /** The message on one line, or a placeholder when ansible gave none. */
    public String message() {
        if (msg == null || msg.isBlank()) {
            return unreachable ? "host unreachable (no message)" : "task failed (no message; see the run log)";
        }
        return msg.strip();
    }
}
