package dev.kubani.ansibletests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Java side of tests/harness/hosts.sh: N SSH hosts in network namespaces with private
 * overlays. Always call {@link #close()} (try-with-resources or @AfterAll); a JVM shutdown
 * hook tears the hosts down too if the test run is killed.
 */
final class Harness implements AutoCloseable {
    final Path dir;
    final Map<String, String> addresses = new LinkedHashMap<>();
    private final Thread hook;
    private boolean closed;

    private Harness(Path dir) {
        this.dir = dir;
        this.hook = new Thread(this::down, "kubani-harness-down");
    }

    static Harness up(int n, Path dir) {
        Harness h = new Harness(dir);
        Runtime.getRuntime().addShutdownHook(h.hook);
        Proc.Result r = Proc.run(Repo.root(), Map.of(), 120, "bash", Repo.harnessScript().toString(),
                "up", Integer.toString(n), dir.toString());
        if (r.rc() != 0) {
            h.close();
            throw new IllegalStateException("harness up failed: " + r);
        }
        Proc.Result list = Proc.run(Repo.root(), Map.of(), 30, "bash", Repo.harnessScript().toString(),
                "list", dir.toString());
        for (String line : list.out().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                h.addresses.put(parts[0], parts[1]);
            }
        }
        return h;
    }

    String address(String host) {
        return addresses.get(host);
    }

    Path privateKey() {
        return dir.resolve("keys/id_ed25519");
    }

    Path knownHosts() {
        return dir.resolve("keys/known_hosts");
    }

    /** Runs a command inside a host (its network namespace and private mounts). */
    Proc.Result exec(String host, String... cmd) {
        List<String> full = new java.util.ArrayList<>(List.of("bash", Repo.harnessScript().toString(), "exec",
                dir.toString(), host));
        full.addAll(List.of(cmd));
        return Proc.run(Repo.root(), Map.of(), 60, full);
    }

    String read(String host, String path) {
        Proc.Result r = exec(host, "cat", path);
        if (r.rc() != 0) {
            throw new IllegalStateException(host + ": cannot read " + path + ": " + r.out());
        }
        return r.out();
    }

    void tailscale(String host, String... state) {
        List<String> full = new java.util.ArrayList<>(List.of("bash", Repo.harnessScript().toString(), "tailscale",
                dir.toString(), host));
        full.addAll(List.of(state));
        Proc.Result r = Proc.run(Repo.root(), Map.of(), 30, full);
        if (r.rc() != 0) {
            throw new IllegalStateException("tailscale stand-in change failed: " + r);
        }
    }

    void cut(String host) {
        Proc.Result r = Proc.run(Repo.root(), Map.of(), 30, "bash", Repo.harnessScript().toString(), "cut",
                dir.toString(), host);
        if (r.rc() != 0) {
            throw new IllegalStateException("cut failed: " + r);
        }
    }

    void uncut(String host) {
        Proc.Result r = Proc.run(Repo.root(), Map.of(), 30, "bash", Repo.harnessScript().toString(), "uncut",
                dir.toString(), host);
        if (r.rc() != 0) {
            throw new IllegalStateException("uncut failed: " + r);
        }
    }

    private synchronized void down() {
        if (closed) {
            return;
        }
        closed = true;
        Proc.run(Repo.root(), Map.of(), 120, "bash", Repo.harnessScript().toString(), "down", dir.toString());
    }

    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), prefix);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
