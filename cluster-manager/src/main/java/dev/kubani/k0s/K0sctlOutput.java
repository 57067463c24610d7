package dev.kubani.k0s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows the log k0sctl prints while it applies a cluster: the phase it is in, and on failure
 * the phase, the host and the first error. k0sctl logs "==> Running phase: TITLE" at the start
 * of each phase, and names hosts as "[ssh] ADDRESS:PORT" (text or logfmt output).
 */
public final class K0sctlOutput {
    private static final Pattern PHASE = Pattern.compile("==> Running phase: ([^\"]+)");
    private static final Pattern HOST = Pattern.compile("\\[ssh\\] ([0-9A-Za-z.:_-]+?):(\\d+)");
    private static final Pattern ERROR_LEVEL = Pattern.compile("^(?:\\S+\\s+)?(ERRO|FATA|ERROR|FATAL)\\b|level=(error|fatal)");
    private static final Pattern WARN_LEVEL = Pattern.compile("^(?:\\S+\\s+)?(WARN|WARNING)\\b|level=warn(ing)?\\b");
    private static final Pattern MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern LEVEL_PREFIX = Pattern.compile("^(?:\\S+\\s+)?(?:INFO|WARN|ERRO|FATA|DEBU|ERROR|FATAL)\\s+");
    private static final Pattern SECRET = Pattern.compile("(?i)(token|password|secret)([=:\\s]+)\\S+");
    /** k0s join tokens are gzip'd kubeconfigs in base64, which always start "H4sI". */
    private static final Pattern JOIN_TOKEN = Pattern.compile("H4sI[A-Za-z0-9+/=_-]{16,}");
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*[A-Za-z]");
    private static final Pattern DRY_HOST = Pattern.compile("^dry-run:\\s+\\*\\s+(.*?)\\s*:\\s*$");
    private static final Pattern DRY_ITEM = Pattern.compile("^dry-run:\\s+-\\s+(.*)$");

    /** Where an apply failed. Fields are null when k0sctl did not say. */
    public record Failure(String phase, String host, String address, String message) {
    }

    private final Map<String, String> namesByAddress;
    private final List<String> phases = new ArrayList<>();
    private String failedPhase;
    private String failedAddress;
    private String firstError;
    private final Map<String, List<String>> dryRun = new java.util.LinkedHashMap<>();
    private String dryHost;

    /** {@code namesByAddress} maps an SSH address to the name people know the host by. */
    public K0sctlOutput(Map<String, String> namesByAddress) {
        this.namesByAddress = namesByAddress;
    }

    /** Reads one line; returns the phase title when the line starts a phase, else null. */
    public String accept(String raw) {
        String line = plain(raw);
        if (line.startsWith("dry-run:")) {
            dryRunLine(line);
            return null;
        }
        Matcher p = PHASE.matcher(line);
        if (p.find()) {
            String title = p.group(1).strip();
            phases.add(title);
            return title;
        }
        if (ERROR_LEVEL.matcher(line).find() || line.stripLeading().startsWith("- [ssh]")) {
            Matcher h = HOST.matcher(line);
            if (h.find() && failedAddress == null) {
                failedAddress = h.group(1);
                failedPhase = currentPhase();
                firstError = message(line);
            } else if (firstError == null) {
                failedPhase = currentPhase();
                firstError = message(line);
            }
        }
        return null;
    }

    /**
     * k0sctl --dry-run ends with what it would change, per host: "dry-run: * [ssh] ADDR:PORT :"
     * then "dry-run:  - WHAT" lines ("local" for the machine k0sctl runs on).
     */
    private void dryRunLine(String line) {
        Matcher h = DRY_HOST.matcher(line);
        if (h.matches()) {
            String a = address(h.group(1));
            dryHost = a != null ? a : h.group(1).strip();
            dryRun.putIfAbsent(dryHost, new ArrayList<>());
            return;
        }
        Matcher i = DRY_ITEM.matcher(line);
        if (i.matches() && dryHost != null) {
            dryRun.get(dryHost).add(redact(i.group(1).strip()));
        }
    }

    /** What a dry run would change: SSH address (or "local") to the actions, in k0sctl's order. */
    public Map<String, List<String>> dryRun() {
        Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        dryRun.forEach((k, v) -> m.put(k, List.copyOf(v)));
        return m;
    }

    /** Whether the line is one of k0sctl's warnings (text "WARN" or logfmt "level=warning"). */
    public static boolean isWarning(String line) {
        return WARN_LEVEL.matcher(plain(line)).find();
    }

    /** The message of a log line without time, level or host prefix, secrets masked. */
    public static String messageOf(String line) {
        return message(plain(line));
    }

    /** The SSH address a log line is about ("[ssh] ADDRESS:PORT"), or null. */
    public static String address(String line) {
        Matcher h = HOST.matcher(line);
        return h.find() ? h.group(1) : null;
    }

    /** The line without terminal colour codes (k0sctl colours its output on a terminal). */
    public static String plain(String line) {
        return line.indexOf('\u001b') < 0 ? line : ANSI.matcher(line).replaceAll("");
    }

    public String currentPhase() {
        return phases.isEmpty() ? null : phases.get(phases.size() - 1);
    }

    public List<String> phases() {
        return List.copyOf(phases);
    }

    /** What failed, as far as the log tells; the last phase when no error line named one. */
    public Failure failure() {
        String phase = failedPhase != null ? failedPhase : currentPhase();
        String name = failedAddress == null ? null : namesByAddress.getOrDefault(failedAddress, failedAddress);
        return new Failure(phase, name, failedAddress, firstError);
    }

    /** The message of a log line without time, level or host prefix, secrets masked. */
    static String message(String line) {
        String m;
        Matcher mm = MSG.matcher(line);
        if (mm.find()) {
            m = mm.group(1).replace("\\\"", "\"");
        } else {
            m = LEVEL_PREFIX.matcher(line.strip()).replaceFirst("");
        }
        m = m.replaceFirst("^-\\s*", "");
        m = HOST.matcher(m).replaceFirst("").replaceFirst("^[:\\s]+", "");
        return redact(m.strip());
    }

    /** Masks values after token/password/secret, and k0s join tokens, so no output or log carries one. */
    public static String redact(String s) {
        String t = SECRET.matcher(s).replaceAll("$1$2(hidden)");
        return JOIN_TOKEN.matcher(t).replaceAll("(hidden)");
    }
}
