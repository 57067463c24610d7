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
    private static final Pattern MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern LEVEL_PREFIX = Pattern.compile("^(?:\\S+\\s+)?(?:INFO|WARN|ERRO|FATA|DEBU|ERROR|FATAL)\\s+");
    private static final Pattern SECRET = Pattern.compile("(?i)(token|password|secret)([=:\\s]+)\\S+");

    /** Where an apply failed. Fields are null when k0sctl did not say. */
    public record Failure(String phase, String host, String address, String message) {
    }

    private final Map<String, String> namesByAddress;
    private final List<String> phases = new ArrayList<>();
    private String failedPhase;
    private String failedAddress;
    private String firstError;

    /** {@code namesByAddress} maps an SSH address to the name people know the host by. */
    public K0sctlOutput(Map<String, String> namesByAddress) {
        this.namesByAddress = namesByAddress;
    }

    /** Reads one line; returns the phase title when the line starts a phase, else null. */
    public String accept(String line) {
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

    /** Masks values after token/password/secret so a failure report never carries one. */
    public static String redact(String s) {
        return SECRET.matcher(s).replaceAll("$1$2(hidden)");
    }
}
