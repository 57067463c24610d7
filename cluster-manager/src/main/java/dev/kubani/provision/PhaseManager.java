package dev.kubani.provision;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs phases in order (k0sctl's phase manager): prints "==> title" as each starts, skips the
 * ones whose shouldRun() says no, stops before the next phase when a stop was requested, and
 * when a phase fails (or the run is stopped) calls cleanUp() on the phases that ran, newest
 * first. "Finally" phases (the summary) run at the end whatever happened.
 */
public final class PhaseManager {
    private final List<Phase> phases = new ArrayList<>();
    private final List<Phase> finallyPhases = new ArrayList<>();

    public PhaseManager add(Phase p) {
        phases.add(p);
        return this;
    }

    /** A phase that runs after the others whether they succeeded or not (never cleaned up). */
    public PhaseManager addFinally(Phase p) {
        finallyPhases.add(p);
        return this;
    }

    public List<Phase> phases() {
        return List.copyOf(phases);
    }

    public void run(PhaseContext ctx) throws Exception {
        List<Phase> ran = new ArrayList<>();
        Exception failure = null;
        try {
            for (Phase p : phases) {
                ctx.cancellation().check("'" + p.title() + "'");
                if (!p.shouldRun(ctx)) {
                    ctx.console().skipped(p.title());
                    continue;
                }
                ctx.console().phase(p.title());
                ran.add(p);
                if (ctx.dryRun()) {
                    p.dryRun(ctx);
                } else {
                    p.run(ctx);
                }
            }
            if (ctx.cancellation().requested()) {
                throw new Cancelled("stopped by request");
            }
        } catch (Exception e) {
            failure = e;
            for (int i = ran.size() - 1; i >= 0; i--) {
                Phase p = ran.get(i);
                try {
                    p.cleanUp(ctx);
                } catch (Exception ce) {
                    ctx.console().warn("cleaning up after '" + p.title() + "' failed: " + ce.getMessage());
                }
            }
        }
        for (Phase p : finallyPhases) {
            try {
                if (p.shouldRun(ctx)) {
                    ctx.console().phase(p.title());
                    p.run(ctx);
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    ctx.console().warn("'" + p.title() + "' failed too: " + e.getMessage());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
