package dev.kubani.provision;

/**
 * One step of an operation (k0sctl style): validate, check the tailnet, run the playbook...
 * Phases change hosts or the cluster only through {@link PhaseContext#wet}, so a dry run
 * reports every change instead of making it.
 */
public interface Phase {
    /** Shown as "==> title" when the phase starts. */
    String title();

    /** Does the work. */
    void run(PhaseContext ctx) throws Exception;

    /** False to skip this phase for this run (it is then neither run nor cleaned up). */
    default boolean shouldRun(PhaseContext ctx) {
        return true;
    }

    /** What a dry run does; by default the same as run, with every change reported by the wet door. */
    default void dryRun(PhaseContext ctx) throws Exception {
        run(ctx);
    }

    /** Undoes or tidies what this phase left behind, when a later phase failed or the run was stopped. */
    default void cleanUp(PhaseContext ctx) throws Exception {
    }
}
