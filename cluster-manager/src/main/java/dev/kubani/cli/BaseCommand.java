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

    protected ClusterMgr root() {
        return (ClusterMgr) spec.root().userObject();
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
