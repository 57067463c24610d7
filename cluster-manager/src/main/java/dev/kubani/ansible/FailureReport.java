package dev.kubani.ansible;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a {@link Failure} into lines for people: the node, the step (role and task), the
 * module's message, and a hint for the failures seed 002 "Troubleshooting" lists (node not
 * reachable over Tailscale, SSH key refused, sudo wanting a password, the k3s service not
 * starting). Every report names the node and the step (Property 4).
 */
public final class FailureReport {
    /** What kind of failure, and what to do about it. */
    public enum Kind { UNREACHABLE, SSH_AUTH, SUDO_PASSWORD, K3S_SERVICE, OTHER }

    public record Hint(Kind kind, String text) {
    }

    private static final Pattern SUDO = Pattern.compile(
            "(?i)missing sudo password|a password is required|incorrect sudo password|sudo: a terminal is required"
                    + "|no tty present|timeout \\(\\d+s\\) waiting for privilege escalation prompt|incorrect su password"
                    + "|missing become password");
    private static final Pattern SSH_AUTH = Pattern.compile("(?i)permission denied \\((publickey|password)");
    private static final Pattern K3S_UNIT = Pattern.compile("(?i)\\bk3s(-agent)?(\\.service)?\\b");
    private static final Pattern SERVICE_WORDS = Pattern.compile(
            "(?i)unable to (start|restart)|failed to (start|restart)|job for .*failed|service .*failed|"
                    + "could not (start|find the requested service)|is not active|activating|exited|control process");

    private FailureReport() {
    }

    /** The hint for a failure; {@code vars} are the host's inventory variables (may be empty). */
    public static Hint hint(Failure f, Map<String, Object> vars) {
        String node = f.host();
        String ts = str(vars.get("tailscale_ip"));
        String addr = str(vars.get("ansible_host"));
        if (addr == null) {
            addr = ts != null ? ts : node;
        }
        String user = str(vars.get("ansible_user"));
        String target = (user == null ? "" : user + "@") + addr;
        String msg = f.msg() == null ? "" : f.msg();
        if (SUDO.matcher(msg).find()) {
            String u = user == null ? "$USER" : user;
            return new Hint(Kind.SUDO_PASSWORD, "sudo on " + node + " asks for a password: give " + u
                    + " passwordless sudo there ('echo \"" + u + " ALL=(ALL) NOPASSWD: ALL\" | sudo tee /etc/sudoers.d/kubani'),"
                    + " or keep ansible_become_password for " + node + " in an Ansible Vault file");
        }
        if (f.unreachable() || msg.contains("Failed to connect to the host via ssh")) {
            if (SSH_AUTH.matcher(msg).find()) {
                return new Hint(Kind.SSH_AUTH, "SSH refused the login to " + target + ": install your key with "
                        + "'ssh-copy-id " + target + "', then check 'ssh " + target + "' works");
            }
            return new Hint(Kind.UNREACHABLE, node + " is not reachable over SSH at " + addr
                    + (ts != null && !ts.equals(addr) ? " (Tailscale IP " + ts + ")" : "")
                    + ": check that it is online on the tailnet ('tailscale status', 'tailscale ping " + (ts != null ? ts : addr)
                    + "'), that tailscaled runs on it ('sudo systemctl status tailscaled'), and that 'ssh " + target
                    + "' works");
        }
        String where = (f.role() == null ? "" : f.role()) + " " + (f.task() == null ? "" : f.task());
        if (K3S_UNIT.matcher(msg).find() && SERVICE_WORDS.matcher(msg).find()
                || where.toLowerCase(Locale.ROOT).contains("k3s") && SERVICE_WORDS.matcher(msg).find()) {
            String unit = unit(f, vars);
            return new Hint(Kind.K3S_SERVICE, "the " + unit + " service failed on " + node + ": see its journal "
                    + "('sudo journalctl -u " + unit + " -n 100' on the node); look for port conflicts on 6443/10250, "
                    + "a wrong node-ip or token in /etc/rancher/k3s/config.yaml, then run provision again");
        }
        return new Hint(Kind.OTHER, "run again with -vvv for the module's full output, or read the run log");
    }

    /** k3s on servers, k3s-agent on workers (or as the message says). */
    public static String unit(Failure f, Map<String, Object> vars) {
        String msg = f.msg() == null ? "" : f.msg().toLowerCase(Locale.ROOT);
        if (msg.contains("k3s-agent")) {
            return "k3s-agent";
        }
        Object group = vars.get("_kubani_role");
        if ("worker".equals(group) || (f.role() != null && f.role().contains("worker"))) {
            return "k3s-agent";
        }
        return "k3s";
    }

    /**
     * The report: first line "NODE: step 'STEP' failed: MESSAGE", then the hint, then journal
     * lines when there are any.
     */
    public static List<String> lines(Failure f, Hint h, List<String> journal) {
        List<String> out = new ArrayList<>();
        String what = f.unreachable() ? "unreachable during" : "failed at";
        out.add(f.host() + ": " + what + " step '" + f.step() + "': " + oneLine(f.message()));
        out.add("  hint: " + h.text());
        if (journal != null && !journal.isEmpty()) {
            out.add("  last journal lines:");
            for (String j : journal) {
                out.add("    " + j);
            }
        }
        return out;
    }

    static String oneLine(String s) {
        String t = s.replaceAll("\\s*\\R\\s*", " ").strip();
        return t.length() > 600 ? t.substring(0, 597) + "..." : t;
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
