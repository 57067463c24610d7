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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs k0sctl. {@link #apply} streams k0sctl's log to a listener, follows its phases, and on
 * failure reports the phase, the host (by the name the caller knows it by) and the first
 * error; {@link #kubeconfig} returns the admin kubeconfig without printing it.
 *
 * <p>For {@code cluster-mgr provision} on a k0s inventory: render the file with
 * {@link K0sctlConfig#forInventory}, write it, then call {@code apply(file, namesByTailscaleIp,
 * listener)} and turn a failed {@link Result} into the command's error with
 * {@link Result#describe}.
 */
public final class K0sctl {
    public static final String INSTALL_HINT = "install k0sctl (macOS: 'brew install k0sproject/tap/k0sctl'; Linux: download the "
            + "k0sctl binary for your CPU from the k0sproject/k0sctl releases on GitHub into a directory on PATH)";

    private final Path executable;
    private final Map<String, String> env;
    private final Path workDir;

    /** What a run of k0sctl apply did: its exit code, the phases it went through, and where it failed. */
    public record Result(int exitCode, List<String> phases, K0sctlOutput.Failure failure) {
        public boolean ok() {
            return exitCode == 0;
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
        K0sctlOutput out = new K0sctlOutput(namesByAddress);
        int code = run(List.of("apply", "--config", config.toString()), line -> {
            String phase = out.accept(line);
            lines.accept(K0sctlOutput.redact(line));
            if (phase != null) {
                phases.accept(phase);
            }
        }, null);
        return new Result(code, out.phases(), out.failure());
    }

    /** The admin kubeconfig of the cluster in {@code config} ({@code k0sctl kubeconfig}); it is a secret. */
    public String kubeconfig(Path config) {
        StringBuilder text = new StringBuilder();
        List<String> err = new ArrayList<>();
        int code = run(List.of("kubeconfig", "--config", config.toString()), err::add, text);
        if (code != 0 || text.length() == 0) {
            String last = err.isEmpty() ? "exit code " + code : K0sctlOutput.message(err.get(err.size() - 1));
            throw KubaniException.failed("k0sctl kubeconfig failed: " + last + "; is the cluster applied ('cluster-mgr lab apply')?");
        }
        return text.toString();
    }

    /**
     * Runs k0sctl with {@code args}. With {@code stdout} null, stdout and stderr are merged and
     * go line by line to {@code lines}; otherwise stdout is collected there and stderr goes to
     * {@code lines}.
     */
    private int run(List<String> args, Consumer<String> lines, StringBuilder stdout) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        if (stdout == null) {
            pb.redirectErrorStream(true);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new KubaniException(ExitCode.UNEXPECTED_STATE, "cannot run " + executable + ": " + e.getMessage() + "; " + INSTALL_HINT);
        }
        try {
            p.getOutputStream().close();
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
        } catch (InterruptedException | IOException e) {
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
