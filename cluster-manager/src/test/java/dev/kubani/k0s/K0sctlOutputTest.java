package dev.kubani.k0s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following k0sctl's log: phases, and on failure the phase, the host and the error. */
class K0sctlOutputTest {
    static final Map<String, String> NAMES = Map.of("192.168.64.10", "control-plane-1", "192.168.64.21", "worker-2");

    @Test
    @DisplayName("a failed worker install is reported with its phase, VM name and message")
    void failedWorker() {
        K0sctlOutput out = new K0sctlOutput(NAMES);
        List<String> phases = new ArrayList<>();
        for (String line : List.of(
                "INFO ==> Running phase: Connect to hosts",
                "INFO [ssh] 192.168.64.10:22: connected",
                "INFO ==> Running phase: Install controllers",
                "INFO ==> Running phase: Install workers",
                "INFO [ssh] 192.168.64.21:22: validating api connection to https://192.168.64.10:6443",
                "ERRO [ssh] 192.168.64.21:22: failed to join worker: token=abc.def rejected",
                "INFO ==> Running phase: Release exclusive host lock",
                "ERRO apply failed - log file saved to /root/.cache/k0sctl/k0sctl.log")) {
            String p = out.accept(line);
            if (p != null) {
                phases.add(p);
            }
        }
        assertThat(phases).containsExactly("Connect to hosts", "Install controllers", "Install workers",
                "Release exclusive host lock");
        K0sctlOutput.Failure f = out.failure();
        assertThat(f.phase()).isEqualTo("Install workers");
        assertThat(f.host()).isEqualTo("worker-2");
        assertThat(f.address()).isEqualTo("192.168.64.21");
        assertThat(f.message()).isEqualTo("failed to join worker: token=(hidden) rejected");
        String line = new K0sctl.Result(1, out.phases(), f).describe();
        assertThat(line).isEqualTo("k0sctl apply failed in phase 'Install workers' on worker-2 (192.168.64.21): "
                + "failed to join worker: token=(hidden) rejected");
    }

    @Test
    @DisplayName("logfmt lines and errors without a host are understood too")
    void logfmt() {
        K0sctlOutput out = new K0sctlOutput(NAMES);
        out.accept("time=\"2025-01-01T00:00:00Z\" level=info msg=\"==> Running phase: Validate hosts\"");
        out.accept("time=\"2025-01-01T00:00:01Z\" level=fatal msg=\"hosts have the same hostname \\\"x\\\"\"");
        K0sctlOutput.Failure f = out.failure();
        assertThat(f.phase()).isEqualTo("Validate hosts");
        assertThat(f.host()).isNull();
        assertThat(f.message()).isEqualTo("hosts have the same hostname \"x\"");
    }

    @Test
    @DisplayName("Property 4: Error reporting completeness (k0sctl: a failure names the node and the step)")
    void property4() {
        String[] phases = {"Connect to hosts", "Detect host operating systems", "Download k0s on hosts", "Install controllers",
            "Install workers", "Configure k0s"};
        Seeds.forAll("Property 4: Error reporting completeness", 200, r -> {
            int hosts = 1 + r.nextInt(8);
            Map<String, String> names = new java.util.HashMap<>();
            for (int i = 0; i < hosts; i++) {
                names.put("100.64.0." + (i + 1), "node-" + i);
            }
            K0sctlOutput out = new K0sctlOutput(names);
            int failAt = r.nextInt(phases.length);
            int bad = r.nextInt(hosts);
            String expectedPhase = null;
            for (int p = 0; p <= failAt; p++) {
                out.accept((r.nextBoolean() ? "INFO " : "level=info msg=\"") + "==> Running phase: " + phases[p]
                        + (r.nextBoolean() ? "" : "\""));
                for (int h = 0; h < hosts; h++) {
                    out.accept("INFO [ssh] 100.64.0." + (h + 1) + ":22: step " + p + " ok");
                }
                expectedPhase = phases[p];
            }
            out.accept("ERRO [ssh] 100.64.0." + (bad + 1) + ":22: " + "boom " + r.nextInt(1000));
            out.accept("INFO ==> Running phase: Disconnect from hosts");
            String line = new K0sctl.Result(1, out.phases(), out.failure()).describe();
            assertThat(line).contains("'" + expectedPhase + "'").contains(" on node-" + bad + " (100.64.0." + (bad + 1) + ")")
                    .contains("boom");
        });
    }

    @Test
    @DisplayName("the runner streams a process's lines and reports its failure (a shell stand-in, not k0sctl)")
    void runnerWithStandIn(@TempDir Path dir) throws IOException {
        // A stand-in script that prints k0sctl-shaped log lines and fails: it tests the process
        // plumbing of K0sctl (streaming, exit code, parsing); no real k0sctl exists here.
        Path standIn = dir.resolve("k0sctl-stand-in");
        Files.writeString(standIn, """
                #!/bin/sh
                [ "$1" = apply ] || exit 9
                echo "INFO ==> Running phase: Connect to hosts"
                echo "ERRO [ssh] 192.168.64.10:22: dial tcp 192.168.64.10:22: connect: no route to host" >&2
                exit 1
                """);
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwx------"));
        List<String> lines = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        K0sctl.Result r = new K0sctl(standIn, Map.of("PATH", "/usr/bin:/bin"), dir)
                .apply(dir.resolve("k0sctl.yaml"), NAMES, lines::add, phases::add);
        assertThat(r.ok()).isFalse();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(lines).hasSize(2);
        assertThat(phases).containsExactly("Connect to hosts");
        assertThat(r.describe()).isEqualTo("k0sctl apply failed in phase 'Connect to hosts' on control-plane-1 (192.168.64.10): "
                + "dial tcp 192.168.64.10:22: connect: no route to host");
        assertThat(K0sctl.which("k0sctl-stand-in", Map.of("PATH", "/nonexistent:" + dir))).isEqualTo(standIn);
        assertThat(K0sctl.which("k0sctl-stand-in", Map.of("PATH", "/nonexistent"))).isNull();
    }

    @Test
    @DisplayName("a dry run's per-host actions are collected; colour codes and k0s join tokens never get through")
    void dryRunColoursAndTokens() {
        K0sctlOutput out = new K0sctlOutput(NAMES);
        assertThat(out.accept("\u001b[36mINFO\u001b[0m \u001b[32m==> Running phase: Install workers\u001b[0m"))
                .isEqualTo("Install workers");
        out.accept("dry-run: cluster state altering actions would be performed:");
        out.accept("dry-run: * [ssh] 192.168.64.21:22 :");
        out.accept("dry-run:  - install k0s v1.31.3+k0s.0");
        out.accept("dry-run:  - write token H4sIAAAAAAAC/2xVXY+jOBJ9z68Yzbk0cAABC1USEC");
        out.accept("dry-run: * local :");
        out.accept("dry-run:  - download k0s for linux-amd64");
        assertThat(out.dryRun()).containsOnlyKeys("192.168.64.21", "local");
        assertThat(out.dryRun().get("192.168.64.21")).containsExactly("install k0s v1.31.3+k0s.0", "write token (hidden)");
        assertThat(K0sctlOutput.redact("joining with H4sIAAAAAAAC/2xVXY+jOBJ9z68Yzbk0cAABC1USEC now"))
                .isEqualTo("joining with (hidden) now");
        assertThat(K0sctlOutput.address("level=info msg=\"[ssh] 100.64.0.2:22: connected\"")).isEqualTo("100.64.0.2");
        assertThat(K0sctlOutput.address("level=info msg=\"==> Finished in 3s\"")).isNull();
    }

    @Test
    @DisplayName("a stop request sends k0sctl SIGINT and the result says it was interrupted (a shell stand-in, not k0sctl)")
    void stopRequestInterrupts(@TempDir Path dir) throws Exception {
        // Stand-in for k0sctl: prints a phase, then waits until interrupted, as k0sctl does mid-phase.
        Path standIn = dir.resolve("k0sctl-stand-in");
        Files.writeString(standIn, """
                #!/bin/sh
                trap 'echo "level=info msg=\\"* Running clean-up for phase: Install workers\\""; kill $sp; exit 1' INT
                echo "level=info msg=\\"==> Running phase: Install workers\\""
                sleep 60 & sp=$!
                wait $sp
                exit 3
                """);
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwx------"));
        List<String> lines = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger stop = new java.util.concurrent.atomic.AtomicInteger();
        List<String> events = new ArrayList<>();
        long t0 = System.nanoTime();
        K0sctl.Result r = new K0sctl(standIn, Map.of("PATH", "/usr/bin:/bin"), dir).apply(dir.resolve("k0sctl.yaml"),
                List.of("--no-wait"), NAMES, new K0sctl.Listener() {
                    @Override
                    public void line(String line) {
                        lines.add(line);
                    }

                    @Override
                    public void phase(String title) {
                        stop.set(1);
                    }

                    @Override
                    public void stopping() {
                        events.add("stopping");
                    }
                }, stop::get);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(20_000);
        assertThat(r.interrupted()).isTrue();
        assertThat(r.ok()).isFalse();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(events).containsExactly("stopping");
        assertThat(lines).last().asString().contains("Running clean-up for phase: Install workers");
    }
}
