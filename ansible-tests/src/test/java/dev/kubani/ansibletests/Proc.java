package dev.kubani.ansibletests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a process with a timeout; stdout and stderr are merged. */
final class Proc {
    record Result(List<String> command, int rc, String out, double seconds) {
        @Override
        public String toString() {
            return String.join(" ", command) + " -> rc=" + rc + " (" + seconds + "s)\n" + out;
        }
    }

    private Proc() {}

    static Result run(Path dir, Map<String, String> env, long timeoutSeconds, String... cmd) {
        return run(dir, env, timeoutSeconds, Arrays.asList(cmd));
    }

    static Result run(Path dir, Map<String, String> env, long timeoutSeconds, List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
        pb.directory(dir.toFile());
        pb.redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log;
        try {
            log = Files.createTempFile("kubani-proc", ".log");
            pb.redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process p = pb.start();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
            double secs = Math.round((System.nanoTime() - start) / 1e7) / 100.0;
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(cmd, done ? p.exitValue() : -1, done ? out : out + "\n[TIMED OUT]", secs);
        } catch (IOException e) {
            throw new RuntimeException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException("interrupted running " + cmd, e);
        }
    }
}
