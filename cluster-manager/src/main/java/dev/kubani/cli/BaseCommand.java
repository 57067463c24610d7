package dev.kubani.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every leaf command: parses nothing itself, reaches the global options through the
 * root command, and returns one of the {@link dev.kubani.core.ExitCode} values.
 */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    /** The root when {@link FastArgs} parsed the command line (no picocli model, so no spec). */
    ClusterMgr fastRoot;

    protected ClusterMgr root() {
        return fastRoot != null ? fastRoot : (ClusterMgr) spec.root().userObject();
    }

    /**
     * The options {@link FastArgs} may parse for this command without picocli, or null (the
     * default) for picocli only. They must be the command's picocli options, with the same names
     * and arity (FastArgsTest checks).
     */
    protected FastArgs.Shape fastShape() {
        return null;
    }

    /**
     * Sets the field of option {@code name} (positional parameters: "#0", "#1", ...) as picocli
     * would; false when unknown. Flags get a null value.
     */
    protected boolean fastSet(String name, String value) {
        return false;
    }

    protected Term term() {
        return root().term();
    }

    @Override
    public final Integer call() throws Exception {
        return execute();
    }

    protected abstract int execute() throws Exception;
}
