package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.ansible.AnsibleEvent;
import dev.kubani.ansible.Failure;
import dev.kubani.ansible.FailureReport;
import dev.kubani.ansible.PlaybookRunner;
import dev.kubani.ansible.RunState;
import dev.kubani.inventory.Role;
import dev.kubani.k0s.K0sctl;
import dev.kubani.k0s.K0sctlOutput;
import dev.kubani.testutil.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property 4 for provision on k0s: whatever host fails in whatever k0sctl phase, the progress
 * mapping records one failure naming that host (by inventory name) and that phase as the step,
 * and the report's first line says both. Fed with k0sctl-shaped log lines in text and logfmt
 * form (no process runs).
 */
class K0sctlFailurePropertyTest {
    static final String[] PHASES = {"Connect to hosts", "Detect host operating systems", "Gather host facts",
        "Install k0s binaries on hosts", "Configure k0s", "Initialize the k0s cluster", "Install controllers",
        "Install workers", "Upgrade workers"};

    @TempDir
    Path tmp;

    @Test
    @DisplayName("Property 4: Error reporting completeness (provision on k0s: the failure names the node and the k0sctl phase)")
    void property4() {
        Seeds.forAll("Property 4: Error reporting completeness", 200, r -> {
            try {
                oneCase(r);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    void oneCase(java.util.Random r) throws java.io.IOException {
        {
            int hosts = 1 + r.nextInt(10);
            Map<String, String> names = new LinkedHashMap<>();
            for (int i = 0; i < hosts; i++) {
                names.put("100.64." + r.nextInt(4) + "." + (i + 1), "node-" + i);
            }
            List<String> addrs = new ArrayList<>(names.keySet());
            int failAt = r.nextInt(PHASES.length);
            String bad = addrs.get(r.nextInt(hosts));
            boolean logfmt = r.nextBoolean();
            K0sctlOutput out = new K0sctlOutput(names);
            List<AnsibleEvent> seen = new ArrayList<>();
            PlaybookRunner.Listener view = new PlaybookRunner.Listener() {
                @Override
                public void event(AnsibleEvent e, RunState state) {
                    seen.add(e);
                }
            };
            Path log = Files.createTempFile(tmp, "log", ".txt");
            Files.delete(log);
            K0sctlProgress p = new K0sctlProgress(view, log, names, false, "k0sctl apply: c");
            p.start(tmp, "k0sctl apply");
            for (int ph = 0; ph <= failAt; ph++) {
                feed(out, p, line(logfmt, "info", "==> Running phase: " + PHASES[ph]));
                for (String a : addrs) {
                    if (ph < failAt || r.nextBoolean()) {
                        feed(out, p, line(logfmt, "info", "[ssh] " + a + ":22: step " + ph));
                    }
                }
            }
            String msg = "boom " + r.nextInt(1000) + " token=H4sIAAAAAAAC/2xVXY+jOBJ9z68Yzbk0";
            feed(out, p, line(logfmt, "error", "[ssh] " + bad + ":22: " + msg));
            if (r.nextBoolean()) {
                feed(out, p, line(logfmt, "info", "* Running clean-up for phase: " + PHASES[failAt]));
            }
            feed(out, p, line(logfmt, "fatal", "apply failed"));
            p.finish(new K0sctl.Result(1, out.phases(), out.failure()));
            p.close();
            List<Failure> failures = p.state().failures();
            assertThat(failures).hasSize(1);
            Failure f = failures.get(0);
            assertThat(f.host()).isEqualTo(names.get(bad));
            assertThat(f.step()).isEqualTo(PHASES[failAt]);
            assertThat(f.unreachable()).isEqualTo(failAt == 0);
            String first = FailureReport.lines(f, K0sctlApplyPhase.hint(f, Map.of(), Role.WORKER, log), null).get(0);
            assertThat(first).startsWith(names.get(bad) + ": ").contains("'" + PHASES[failAt] + "'").contains("boom")
                    .doesNotContain("H4sI");
            assertThat(seen).anySatisfy(e -> assertThat(e.event()).isIn("failed", "unreachable"));
            assertThat(Files.readString(log)).doesNotContain("H4sI").contains(PHASES[failAt]);
        }
    }

    static String line(boolean logfmt, String level, String msg) {
        if (logfmt) {
            return "level=" + level + " msg=\"" + msg + "\"";
        }
        return switch (level) {
            case "error" -> "ERRO ";
            case "fatal" -> "FATA ";
            default -> "INFO ";
        } + msg;
    }

    static void feed(K0sctlOutput out, K0sctlProgress p, String line) {
        String phase = out.accept(line);
        p.line(K0sctlOutput.redact(line));
        if (phase != null) {
            p.phase(phase);
        }
    }
}
