package dev.kubani.services;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code cluster-mgr verify}: which check, against what, how it went, how long it
 * took and, when it failed, what to do about it.
 */
public record CheckResult(String check, String target, Status status, String detail, long millis, String fix) {

    /** How a check went. Only {@link #FAIL} makes the command exit with 1. */
    public enum Status {
        OK, WARN, FAIL, SKIPPED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static CheckResult ok(String check, String target, String detail, long millis) {
        return new CheckResult(check, target, Status.OK, detail, millis, null);
    }

    public static CheckResult warn(String check, String target, String detail, long millis, String fix) {
        return new CheckResult(check, target, Status.WARN, detail, millis, fix);
    }

    public static CheckResult fail(String check, String target, String detail, long millis, String fix) {
        return new CheckResult(check, target, Status.FAIL, detail, millis, fix);
    }

    public static CheckResult skipped(String check, String target, String why) {
        return new CheckResult(check, target, Status.SKIPPED, why, 0, null);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    /** Plain map for --output json|yaml. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", check);
        m.put("target", target);
        m.put("result", status.word());
        m.put("detail", detail);
        m.put("timeMs", millis);
        if (fix != null) {
            m.put("fix", fix);
        }
        return m;
    }
}
