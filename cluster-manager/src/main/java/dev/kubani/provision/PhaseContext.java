package dev.kubani.provision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What phases share: the console, whether this is a dry run, the stop request, the record of
 * changes made or that would be made, and typed slots for operation state (a provision run,
 * a node removal, a future k0sctl apply) so the manager stays generic.
 */
public final class PhaseContext {
    /** One change through the wet door. */
    public record Change(String host, String what, boolean done) {
    }

    /** An action that may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private final Console console;
    private final boolean dryRun;
    private final Cancellation cancellation;
    private final List<Change> changes = new ArrayList<>();
    private final Map<Class<?>, Object> slots = new HashMap<>();

    public PhaseContext(Console console, boolean dryRun, Cancellation cancellation) {
        this.console = console;
        this.dryRun = dryRun;
        this.cancellation = cancellation;
    }

    public Console console() {
        return console;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    /**
     * The one door for changes to a host or the cluster: in a dry run it reports "would WHAT
     * on HOST" and returns null; otherwise it runs the action and records the change.
     */
    public <T> T wet(String host, String what, Callable<T> action) throws Exception {
        if (dryRun) {
            changes.add(new Change(host, what, false));
            console.info("  would " + what + " on " + host);
            return null;
        }
        T r = action.call();
        changes.add(new Change(host, what, true));
        return r;
    }

    /** {@link #wet(String, String, Callable)} for actions without a result. */
    public void wet(String host, String what, Action action) throws Exception {
        wet(host, what, () -> {
            action.run();
            return null;
        });
    }

    public List<Change> changes() {
        return Collections.unmodifiableList(changes);
    }

    public <T> void put(Class<T> type, T value) {
        slots.put(type, value);
    }

    /** The state object of this type; fails loudly when a phase runs out of order. */
    public <T> T get(Class<T> type) {
        Object o = slots.get(type);
        if (o == null) {
            throw new IllegalStateException("no " + type.getSimpleName() + " in the phase context");
        }
        return type.cast(o);
    }
}
