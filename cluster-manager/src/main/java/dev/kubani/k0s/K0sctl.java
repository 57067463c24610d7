package dev.kubani.k0s;

import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Runs k0sctl. {@link #apply} streams k0sctl's log to a listener, follows its phases, and on
 * failure reports the phase, the host (by the name the caller knows it by) and the first
 * error; {@link #kubeconfig} returns the admin kubeconfig without printing it.
 *
 * <p>{@code cluster-mgr provision} on a k0s inventory renders the file with
 * {@link K0sctlConfig#forInventory}, runs {@link #apply(Path, List, Map, Listener, IntSupplier)}
 * with its progress view and stop request, and turns a failed {@link Result} into the
 * command's error with {@link Result#describe}.
 *
 * <p>Stopping: k0sctl runs in its own session where {@code setsid} exists, so a terminal's
 * Ctrl-C reaches only this JVM, which passes the request on: SIGINT first (k0sctl cancels and
 * runs its clean-ups), SIGTERM after {@link #INT_GRACE} or on a second request, SIGKILL
 * {@link #TERM_GRACE} later. k0sctl never outlives the JVM.
 */
public final class K0sctl {
    public static final String INSTALL_HINT = "install k0sctl (macOS: 'brew install k0sproject/tap/k0sctl'; Linux: download the "
            + "k0sctl binary for your CPU from the k0sproject/k0sctl releases on GitHub into a directory on PATH)";

    public static final java.time.Duration INT_GRACE = java.time.Duration.ofSeconds(30);
    public static final java.time.Duration TERM_GRACE = java.time.Duration.ofSeconds(10);
    private static final String END = new String("end of k0sctl output");

    /** Follows a run of k0sctl apply; every call comes from the thread that called apply. */
    public interface Listener {
        /** One line of k0sctl's output, secrets already masked. */
        void line(String line);

        /** k0sctl started a phase ("==> Running phase: TITLE"). */
        default void phase(String title) {
        }

        /** About ten times a second while k0sctl runs (for spinners). */
        default void tick() {
        }

        /** The first stop request was passed on to k0sctl. */
        default void stopping() {
        }
    }

    private final Path executable;
    private final Map<String, String> env;
    private final Path workDir;

    /** What a run of k0sctl apply did: its exit code, the phases it went through, and where it failed. */
    public record Result(int exitCode, List<String> phases, K0sctlOutput.Failure failure, boolean interrupted,
                         Map<String, List<String>> dryRun) {
        public Result(int exitCode, List<String> phases, K0sctlOutput.Failure failure) {
            this(exitCode, phases, failure, false, Map.of());
        }

        public boolean ok() {
            return exitCode == 0 && !interrupted;
        }

        /** One line for people: the phase, the host and the error of a failed apply. */
        public String describe() {
            K0sctlOutput.Failure f = failure;
            StringBuilder sb = new StringBuilder("k0sctl apply failed");
            if (f.phase() != null) {
                sb.append(" in phase '").append(f.phase()).append('\'');
            }
            if (f.host() != null) {
                sb.append(" on ").append(f.host());
                if (f.address() != null && !f.address().equals(f.host())) {
                    sb.append(" (").append(f.address()).append(')');
                }
            }
            sb.append(f.message() != null && !f.message().isBlank() ? ": " + f.message() : " (exit code " + exitCode + ")");
            return sb.toString();
        }
    }

    public K0sctl(Path executable, Map<String, String> env, Path workDir) {
        this.executable = executable;
        this.env = env;
        this.workDir = workDir;
    }

    /** k0sctl on the PATH of {@code env}, or null. */
    public static Path locate(Map<String, String> env) {
        return which("k0sctl", env);
    }

    /** The first executable file called {@code name} on the PATH of {@code env}, or null. */
    public static Path which(String name, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Runs {@code k0sctl apply --config FILE}. Every log line goes to {@code lines}; a new phase
     * goes to {@code phases}. Never throws for a failed apply: the result says what failed.
     */
    public Result apply(Path config, Map<String, String> namesByAddress, Consumer<String> lines, Consumer<String> phases) {
        return apply(config, List.of(), namesByAddress, new Listener() {
            @Override
            public void line(String line) {
                lines.accept(line);
            }

            @Override
            public void phase(String title) {
                phases.accept(title);
            }
        }, () -> 0);
    }

    /**
     * Runs {@code k0sctl apply --config FILE ARGS...} (ARGS such as --dry-run, --no-wait,
     * --debug), reporting to {@code listener} on this thread. {@code stop} is polled: 1 asks
     * k0sctl to stop (SIGINT), 2 stops it now. Never throws for a failed apply.
     */
    public Result apply(Path config, List<String> args, Map<String, String> namesByAddress, Listener listener,
                        IntSupplier stop) {
        K0sctlOutput out = new K0sctlOutput(namesByAddress);
        List<String> all = new ArrayList<>(List.of("apply", "--config", config.toString()));
        all.addAll(args);
        Process p = start(all, true, true);
        Thread hook = new Thread(p::destroyForcibly, "k0sctl-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            pump(p.getInputStream(), queue::add, null);
            queue.add(END);
        }, "k0sctl-output");
        pump.setDaemon(true);
        pump.start();
        boolean stopped = false;
        long intSent = 0;
        long termSent = 0;
        long lastTick = 0;
        try {
            while (true) {
                String line = queue.poll(100, TimeUnit.MILLISECONDS);
                if (line == END) {
                    break;
                }
                if (line != null) {
                    String phase = out.accept(line);
                    listener.line(K0sctlOutput.redact(K0sctlOutput.plain(line)));
                    if (phase != null) {
                        listener.phase(phase);
                    }
                }
                long now = System.nanoTime();
                int level = stop.getAsInt();
                if (level >= 1 && intSent == 0) {
                    stopped = true;
                    intSent = now;
                    signal(p, "INT");
                    listener.stopping();
                }
                if (intSent != 0 && termSent == 0 && (level >= 2 || now - intSent > INT_GRACE.toNanos())) {
                    termSent = now;
                    p.destroy();
                }
                if (termSent != 0 && (level >= 2 && now - termSent > 2_000_000_000L || now - termSent > TERM_GRACE.toNanos())) {
                    p.destroyForcibly();
                }
                if (now - lastTick >= 100_000_000L) {
                    lastTick = now;
                    listener.tick();
                }
            }
            int code = p.waitFor();
            return new Result(code, out.phases(), out.failure(), stopped, out.dryRun());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, out.phases(), out.failure(), true, out.dryRun());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down; the hook does its job
            }
        }
    }

    /** The k0sctl command line for people (the program and its arguments). */
    public String display(Path config, List<String> args) {
        return executable + " apply --config " + config + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }

    private static void signal(Process p, String sig) {
        try {
            Process k = new ProcessBuilder("kill", "-s", sig, String.valueOf(p.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            p.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts k0sctl with {@code args}, in its own session where setsid exists (so Ctrl-C is ours to pass on). */
    private Process start(List<String> args, boolean mergeStderr, boolean ownSession) {
        List<String> cmd = new ArrayList<>();
        Path setsid = ownSession ? which("setsid", env) : null;
        if (setsid != null) {
            cmd.add(setsid.toString());
            cmd.add("-w");
        }
        cmd.add(executable.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (mergeStderr) {
            pb.redirectErrorStream(true);
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new KubaniException(ExitCode.UNEXPECTED_STATE, "cannot run " + executable + ": " + e.getMessage() + "; "
                    + INSTALL_HINT);
        }
    }

    /** The admin kubeconfig of the cluster in {@code config} ({@code k0sctl kubeconfig}); it is a secret. */
    public String kubeconfig(Path config) {
        return kubeconfig(config, "cluster-mgr lab apply");
    }

    /** {@link #kubeconfig(Path)}; {@code applyCommand} is what the error suggests to apply the cluster. */
    public String kubeconfig(Path config, String applyCommand) {
        StringBuilder text = new StringBuilder();
        List<String> err = new ArrayList<>();
        int code = run(List.of("kubeconfig", "--config", config.toString()), err::add, text);
        if (code != 0 || text.length() == 0) {
            String last = err.isEmpty() ? "exit code " + code : K0sctlOutput.message(err.get(err.size() - 1));
            throw KubaniException.failed("k0sctl kubeconfig failed: " + last + "; is the cluster applied ('" + applyCommand + "')?");
        }
        return text.toString();
    }

    /**
     * Runs k0sctl with {@code args}. With {@code stdout} null, stdout and stderr are merged and
     * go line by line to {@code lines}; otherwise stdout is collected there and stderr goes to
     * {@code lines}.
     */
    private int run(List<String> args, Consumer<String> lines, StringBuilder stdout) {
        Process p = start(args, stdout == null, false);
        try {
            Thread errPump = null;
            if (stdout != null) {
                errPump = new Thread(() -> pump(p.getErrorStream(), lines, null), "k0sctl-stderr");
                errPump.setDaemon(true);
                errPump.start();
                pump(p.getInputStream(), null, stdout);
            } else {
                pump(p.getInputStream(), lines, null);
            }
            int code = p.waitFor();
            if (errPump != null) {
                errPump.join(TimeUnit.SECONDS.toMillis(5));
            }
            return code;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw KubaniException.failed("k0sctl was interrupted; the cluster may be half applied: run 'k0sctl apply' again");
        }
    }

    private static void pump(java.io.InputStream in, Consumer<String> lines, StringBuilder all) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (all != null) {
                    all.append(line).append('\n');
                } else {
                    lines.accept(line);
                }
            }
        } catch (IOException e) {
            // the process ended; what was read is what there is
        }
    }
}
