package dev.kubani.kube;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Kubernetes resource quantities ("250m", "3", "16Gi", "123456n", "1e3") as numbers, and back for people. */
public final class Quantities {
    private Quantities() {
    }

    /** The quantity's value in base units (cores, bytes); null when absent or unreadable. */
    public static BigDecimal parse(String q) {
        if (q == null) {
            return null;
        }
        String s = q.trim();
        if (s.isEmpty()) {
            return null;
        }
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
            {"Pi", "1125899906842624"}, {"Ei", "1152921504606846976"}, {"n", "1e-9"}, {"u", "1e-6"}, {"m", "1e-3"},
            {"k", "1e3"}, {"M", "1e6"}, {"G", "1e9"}, {"T", "1e12"}, {"P", "1e15"}, {"E", "1e18"}};
        try {
            for (String[] sf : suffixes) {
                if (s.endsWith(sf[0]) && s.length() > sf[0].length()) {
                    return new BigDecimal(s.substring(0, s.length() - sf[0].length())).multiply(new BigDecimal(sf[1]));
                }
            }
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** CPU in millicores (0 when absent). */
    public static long milli(String q) {
        BigDecimal v = parse(q);
        return v == null ? 0 : v.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();
    }

    /** Bytes (0 when absent). */
    public static long bytes(String q) {
        BigDecimal v = parse(q);
        return v == null ? 0 : v.setScale(0, RoundingMode.HALF_UP).longValue();
    }

    /** Memory for people: "512Mi", "2.1Gi", "12Gi". */
    public static String memory(long bytes) {
        double gi = bytes / 1073741824.0;
        if (gi >= 10) {
            return Math.round(gi) + "Gi";
        }
        if (gi >= 1) {
            return String.format(java.util.Locale.ROOT, "%.1fGi", gi);
        }
        return Math.round(bytes / 1048576.0) + "Mi";
    }
}
