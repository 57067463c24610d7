package dev.kubani.services;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the steps of one check in order, timing each; after the first failure the remaining
 * steps are reported as skipped, so a report always shows every step.
 */
public final class Steps {
    /** The body of a step: returns the detail for the report, or throws {@link CheckFailure}. */
    @FunctionalInterface
    public interface Body {
        String run() throws CheckFailure;
    }

    /** A step that may end in a warning rather than a plain success. */
    @FunctionalInterface
    public interface Graded {
        CheckResult run(long startNanos) throws CheckFailure;
    }

    private final List<CheckResult> results = new ArrayList<>();
    private String blockedBy;

    /** Runs {@code body} unless an earlier step failed. Returns true when it succeeded. */
    public boolean step(String check, String target, Body body) {
        return graded(check, target, start -> CheckResult.ok(check, target, body.run(), elapsed(start)));
    }

    public boolean graded(String check, String target, Graded body) {
        if (blockedBy != null) {
            results.add(CheckResult.skipped(check, target, "not run: " + blockedBy + " failed"));
            return false;
        }
        long start = System.nanoTime();
        CheckResult r;
        try {
            r = body.run(start);
        } catch (CheckFailure f) {
            r = CheckResult.fail(check, target, f.detail(), elapsed(start), f.fix());
        } catch (RuntimeException e) {
            r = CheckResult.fail(check, target, Errors.describe(e), elapsed(start),
                    "run again with -vvv and report this if it persists");
        }
        results.add(r);
        if (r.failed()) {
            blockedBy = check;
            return false;
        }
        return true;
    }

    /** Adds a finished result (for checks that produce several rows at once). */
    public void add(CheckResult r) {
        results.add(r);
    }

    public List<CheckResult> results() {
        return results;
    }

    public static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
