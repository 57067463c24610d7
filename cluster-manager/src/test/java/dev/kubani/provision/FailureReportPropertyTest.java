package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.ansible.Failure;
import dev.kubani.ansible.FailureReport;
import dev.kubani.testutil.Seeds;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FailureReportPropertyTest {
    static final String[] MSGS = {null, "", "censored (no_log)", "MODULE FAILURE: sudo: a password is required",
        "Unable to start service k3s-agent: Job for k3s-agent.service failed",
        "Failed to connect to the host via ssh: ssh: connect to host 100.64.0.9 port 22: No route to host",
        "Permission denied (publickey).", "line one\nline two\n\tline three", "x".repeat(2000)};

    static String word(Random r, int max) {
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789-_ .:'";
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(max);
        sb.append((char) ('a' + r.nextInt(26)));
        for (int i = 1; i < n; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString().strip();
    }

    @Test
    @DisplayName("Property 4: Error reporting completeness - every failure report names the node and the failed step")
    void property4() {
        Seeds.forAll("Property 4: Error reporting completeness", 200, r -> {
            String host = word(r, 20).replace(' ', '-');
            String role = r.nextBoolean() ? null : word(r, 15);
            String task = r.nextInt(5) == 0 ? null : word(r, 40);
            String play = word(r, 20);
            boolean unreachable = r.nextInt(3) == 0;
            String msg = MSGS[r.nextInt(MSGS.length)];
            Failure f = new Failure(host, play, role, task, msg, unreachable);
            FailureReport.Hint h = FailureReport.hint(f, r.nextBoolean() ? Map.of()
                    : Map.of("tailscale_ip", "100.64.0." + r.nextInt(255), "ansible_user", "pi"));
            List<String> lines = FailureReport.lines(f, h, r.nextBoolean() ? List.of("journal line") : null);
            String first = lines.get(0);
            assertThat(first).startsWith(host + ": ");
            assertThat(first).contains("step '" + f.step() + "'");
            if (task != null && !task.isBlank()) {
                assertThat(first).contains(task);
            } else {
                assertThat(first).contains(play);
            }
            if (role != null && task != null && !task.isBlank()) {
                assertThat(first).contains(role + " : ");
            }
            assertThat(first).doesNotContain("\n");
            assertThat(h.text()).isNotBlank();
            if (unreachable) {
                assertThat(h.kind()).isIn(FailureReport.Kind.UNREACHABLE, FailureReport.Kind.SSH_AUTH,
                        FailureReport.Kind.SUDO_PASSWORD);
            }
        });
    }
}
