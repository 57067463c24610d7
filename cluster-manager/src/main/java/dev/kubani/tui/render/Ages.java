package dev.kubani.tui.render;

import dev.kubani.util.Times;
import java.time.Duration;

/** Relative times for the screen: "45s", "3m", "2h", "5d". */
public final class Ages {
    private Ages() {
    }

    public static String sinceSeconds(long epochSeconds, long nowMs) {
        return epochSeconds <= 0 ? "-" : Times.compact(Duration.ofMillis(Math.max(0, nowMs - epochSeconds * 1000)));
    }

    public static String sinceMillis(long epochMs, long nowMs) {
        return epochMs <= 0 ? "-" : Times.compact(Duration.ofMillis(Math.max(0, nowMs - epochMs)));
    }
}
