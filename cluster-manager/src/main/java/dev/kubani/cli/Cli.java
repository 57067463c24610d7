package dev.kubani.cli;

import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Builds the picocli command line with Kubani's error handling, and runs it. */
public final class Cli {
    private Cli() {
    }

    /** The full command line, with every subcommand (for help and completion). */
    public static CommandLine build(CliEnv env) {
        return build(env, null);
    }

    /**
     * The command line for running {@code args}: with only the named subcommand when there is
     * one, so picocli models and loads just that class.
     */
    static CommandLine build(CliEnv env, String[] args) {
        ClusterMgr root = new ClusterMgr(env);
        Factory factory = new Factory(env);
        CommandLine cl = new CommandLine(root, factory);
        String only = args == null ? null : Commands.find(args);
        if ("completion".equals(only)) {
            only = null;
        }
        for (var e : Commands.ALL.entrySet()) {
            if (only == null || only.equals(e.getKey())) {
                try {
                    cl.addSubcommand(e.getKey(), new CommandLine(Class.forName(e.getValue()), factory));
                } catch (ClassNotFoundException ex) {
                    throw new IllegalStateException("command class missing: " + e.getValue(), ex);
                }
            }
        }
        cl.setOut(env.out());
        cl.setErr(env.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        addHelpOptions(cl);
        cl.setExecutionExceptionHandler(new ExecutionErrors(root));
        cl.setParameterExceptionHandler(new ParameterErrors(root));
        return cl;
    }

    /** Every command and subcommand answers -h/--help (and -V/--version). */
    private static void addHelpOptions(CommandLine cl) {
        if (!cl.getCommandSpec().mixinStandardHelpOptions()) {
            cl.getCommandSpec().mixinStandardHelpOptions(true);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addHelpOptions(sub);
        }
    }

    /** Runs the command line and returns the exit code; never throws and never calls exit. */
    public static int run(CliEnv env, String... args) {
        try {
            return build(env, args).execute(args);
        } finally {
            env.out().flush();
            env.err().flush();
        }
    }

    /** Lets commands take the {@link CliEnv} in a constructor. */
    private record Factory(CliEnv env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(CliEnv.class).newInstance(env);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

    private record ExecutionErrors(ClusterMgr root) implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
            PrintWriter err = cl.getErr();
            Term term = safeTerm(root, err);
            if (ex instanceof KubaniException k) {
                term.error(k.getMessage());
                if (root.verbosity() >= 3) {
                    k.printStackTrace(err);
                }
                return k.exitCode();
            }
            String what = ex.getMessage() == null ? ex.getClass().getSimpleName()
                    : ex.getClass().getSimpleName() + ": " + ex.getMessage();
            term.error("internal error: " + firstLine(what)
                    + (root.verbosity() >= 3 ? "" : " (run again with -vvv for the stack trace, and please report it)"));
            if (root.verbosity() >= 3) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCode.INTERNAL;
        }
    }

    private record ParameterErrors(ClusterMgr root) implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            Term term = safeTerm(root, err);
            String cmd = cl.getCommandSpec().qualifiedName();
            term.error(firstLine(ex.getMessage()) + " (see '" + cmd + " --help')");
            return ExitCode.INVALID_INPUT;
        }
    }

    private static Term safeTerm(ClusterMgr root, PrintWriter err) {
        try {
            return root.term();
        } catch (RuntimeException e) {
            // A broken preference file must not hide the original error.
            return new Term(new PrintWriter(new StringWriter()), err, false, false);
        }
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
