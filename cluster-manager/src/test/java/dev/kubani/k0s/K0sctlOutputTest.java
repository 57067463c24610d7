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
}
