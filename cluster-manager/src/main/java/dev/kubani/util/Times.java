package dev.kubani.util;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

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
            Instant t = fastUtc(rfc3339);
            if (t == null) {
                t = OffsetDateTime.parse(rfc3339).toInstant();
            }
            return compact(Duration.between(t, Instant.now())) + " ago";
        } catch (java.time.DateTimeException e) {
            return "-";
        }
    }

    /**
     * "2026-11-01T10:00:00Z" or "...:00.123456Z" without the java.time formatter machinery
     * (tailscale prints thousands of these); null for any other shape.
     */
    static Instant fastUtc(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int min = digits(s, 14, 16);
        int sec = digits(s, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || min < 0 || sec < 0 || n > 20 && s.charAt(19) != '.') {
            return null;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86400 + hour * 3600L + min * 60L + sec);
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
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
