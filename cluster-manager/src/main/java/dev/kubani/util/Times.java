package dev.kubani.util;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Human-friendly durations: "45s", "3m", "2h", "5d". */
public final class Times {
    private Times() {
    }

    /** "3m ago" for an RFC 3339 time; "-" when absent, zero ("0001-01-01...") or unreadable. */
    public static String ago(String rfc3339) {
        if (rfc3339 == null || rfc3339.isBlank() || rfc3339.startsWith("0001-")) {
            return "-";
        }
        try {
            Instant t = OffsetDateTime.parse(rfc3339).toInstant();
            return compact(Duration.between(t, Instant.now())) + " ago";
        } catch (DateTimeParseException e) {
            return "-";
        }
    }

    /** Compact form of a duration, as kubectl prints ages. */
    public static String compact(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 3600 * 2) {
            return (s / 60) + "m";
        }
        if (s < 86400 * 2) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }
}
