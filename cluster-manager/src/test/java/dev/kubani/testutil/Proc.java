package dev.kubani.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program for a test, with a time limit, and returns its exit code and output. */
public final class Proc {
    private Proc() {
    }

    public record Out(int code, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    public static Out run(List<String> cmd, byte[] stdin, Map<String, String> env, Path cwd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            pb.environment().putAll(env);
            Process p = pb.start();
            Thread feeder = new Thread(() -> {
                try (var os = p.getOutputStream()) {
                    os.write(stdin);
                } catch (IOException ignored) {
                    // the program may not read its input
                }
            });
            feeder.start();
            var errF = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd.get(0));
            }
            return new Out(p.exitValue(), out, errF.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd.get(0) + ": " + e.getMessage()
                    + " (install the test dependencies: scripts/install-deps.sh)", e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
