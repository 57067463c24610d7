package dev.kubani.provision;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stop request shared by the phases and the processes they run: 0 go on, 1 stop cleanly
 * (first Ctrl-C), 2 stop now (second Ctrl-C). {@link #onInterrupt()} routes SIGINT here, so
 * the JVM does not die under a running ansible.
 */
public final class Cancellation {
    private final AtomicInteger level = new AtomicInteger();

    /** Raises the level by one (up to 2); returns the new level. */
    public int request() {
        return level.updateAndGet(l -> Math.min(2, l + 1));
    }

    public int level() {
        return level.get();
    }

    public boolean requested() {
        return level.get() > 0;
    }

    /** Throws {@link Cancelled} when a stop was requested. */
    public void check(String where) {
        if (requested()) {
            throw new Cancelled("stopped by request before " + where);
        }
    }

    /**
     * Handles SIGINT (Ctrl-C) by raising the level, until the returned handle is closed, which
     * restores the previous handler. Where signals cannot be handled, Ctrl-C keeps its default
     * effect (the JVM exits and its shutdown hooks stop ansible).
     */
    @SuppressWarnings("removal")
    public AutoCloseable onInterrupt() {
        try {
            sun.misc.Signal sig = new sun.misc.Signal("INT");
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(sig, s -> request());
            return () -> sun.misc.Signal.handle(sig, previous);
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return () -> {
            };
        }
    }
}
