package dev.kubani.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against real ansible-playbook (Debian's ansible-core) and the real kubani_events
 * callback; every host is this machine through a local connection, except "gone", an SSH host
 * on 127.0.0.1 port 1 where nothing listens (it stands in for a node that is off the tailnet).
 */
class PlaybookRunnerTest {
    @TempDir
    Path tmp;
    AnsibleHome home;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        home = new AnsibleHome(tmp);
        env = new HashMap<>(System.getenv());
        env.put("PATH", home.bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.remove("ANSIBLE_CONFIG");
        env.put("HOME", tmp.toString());
    }

    private PlaybookRunner runner() {
        return new PlaybookRunner(home.ansible, home.artifacts, env, 3);
    }

    private PlaybookRequest request(Path inventory, String playbook, String... extra) {
        return new PlaybookRequest(home.playbook(playbook), inventory, null, null, null, List.of(extra), false, false, 0);
    }

    @Test
    @DisplayName("one host fails, the others run to the end; unreachable and sudo failures are told apart")
    void failOnOneHostOthersComplete() throws Exception {
        // A stand-in for sudo on a node where the SSH user has no NOPASSWD rule: real sudo -n
        // prints exactly this and exits 1.
        Path sudo = home.script("sudo-needs-password", "echo 'sudo: a password is required' >&2\nexit 1\n");
        Path inv = home.write("inventory/mixed.yml", """
                all:
                  vars:
                    ansible_python_interpreter: /usr/bin/python3
                  children:
                    control_plane:
                      hosts:
                        cp1: {ansible_connection: local, tailscale_ip: 100.64.0.1}
                    workers:
                      hosts:
                        w1: {ansible_connection: local, tailscale_ip: 100.64.0.2}
                        w2: {ansible_connection: local, tailscale_ip: 100.64.0.3}
                        gone: {ansible_host: 127.0.0.1, ansible_port: 1, ansible_user: kubani, tailscale_ip: 100.64.0.9}
                        sudoer: {ansible_connection: local, ansible_become: true, ansible_become_user: nobody,
                                 ansible_become_exe: %s, tailscale_ip: 100.64.0.8}
                """.formatted(sudo));
        home.write("playbooks/module_then_fail.yml", """
                - name: Prepare hosts
                  hosts: control_plane:workers
                  gather_facts: false
                  tasks:
                    - name: Check the basics
                      ansible.builtin.command: "true"
                      changed_when: false
                    - name: Configure the kernel module
                      ansible.builtin.fail:
                        msg: "modprobe br_netfilter failed: module not found"
                      when: inventory_hostname == 'w1'
                    - name: Read a secret
                      ansible.builtin.debug:
                        msg: the secret is s3cr3t-t0ken
                      no_log: true
                      changed_when: true
                    - name: Finish
                      ansible.builtin.debug:
                        msg: done
                """);
        List<AnsibleEvent> seen = new java.util.ArrayList<>();
        PlaybookResult r = runner().run(request(inv, "module_then_fail.yml"), new PlaybookRunner.Listener() {
            @Override
            public void event(AnsibleEvent e, RunState state) {
                seen.add(e);
            }
        }, () -> 0);

        RunState s = r.state();
        assertThat(r.ansibleExit()).isNotZero();
        assertThat(r.ok()).isFalse();
        assertThat(r.setupError()).isFalse();
        assertThat(seen.get(0).event()).isEqualTo("playbook_start");
        assertThat(seen.get(seen.size() - 1).event()).isEqualTo("playbook_end");
        assertThat(s.ended()).isTrue();
        assertThat(s.hosts().get("w1").result()).isEqualTo("failed");
        assertThat(s.hosts().get("gone").result()).isEqualTo("unreachable");
        assertThat(s.hosts().get("sudoer").result()).isEqualTo("failed");
        // The healthy hosts ran every task, including the one after the failure.
        for (String h : List.of("cp1", "w2")) {
            assertThat(s.hosts().get(h).result()).isEqualTo("changed");
            assertThat(s.hosts().get(h).task()).isEqualTo("Finish");
            assertThat(s.hosts().get(h).changedSteps()).containsExactly("Read a secret");
        }
        Map<String, Failure> byHost = new HashMap<>();
        s.failures().forEach(f -> byHost.put(f.host(), r.explained(f)));
        assertThat(byHost.get("w1").task()).isEqualTo("Configure the kernel module");
        assertThat(byHost.get("w1").msg()).contains("modprobe br_netfilter failed");
        assertThat(byHost.get("gone").unreachable()).isTrue();
        assertThat(byHost.get("gone").msg()).contains("127.0.0.1");
        assertThat(byHost.get("sudoer").msg()).contains("a password is required");

        Map<String, Object> goneVars = Map.of("tailscale_ip", "100.64.0.9", "ansible_host", "127.0.0.1",
                "ansible_user", "kubani");
        FailureReport.Hint unreachable = FailureReport.hint(byHost.get("gone"), goneVars);
        assertThat(unreachable.kind()).isEqualTo(FailureReport.Kind.UNREACHABLE);
        assertThat(unreachable.text()).contains("tailscale ping 100.64.0.9").contains("ssh kubani@127.0.0.1");
        FailureReport.Hint sudoHint = FailureReport.hint(byHost.get("sudoer"), Map.of());
        assertThat(sudoHint.kind()).isEqualTo(FailureReport.Kind.SUDO_PASSWORD);
        assertThat(sudoHint.text()).contains("NOPASSWD");

        // Raw log kept, private, and the no_log value is not in it.
        Path dir = r.runDir();
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (String f : List.of("stdout", "events.jsonl", "command")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(f))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(dir.resolve(f))).doesNotContain("s3cr3t");
        }
        assertThat(Files.readString(dir.resolve("stdout"))).contains("PLAY RECAP");
    }

    @Test
    @DisplayName("a playbook that changes things reports changed, and the second run reports no change")
    void changesThenIdempotent() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        String ev = "{\"out_dir\": \"" + out + "\"}";
        PlaybookResult first = runner().run(request(home.inventory, "change.yml", ev), new PlaybookRunner.Listener() {
        }, () -> 0);
        assertThat(first.ok()).isTrue();
        assertThat(first.ansibleExit()).isZero();
        for (String h : List.of("cp1", "w1", "w2")) {
            assertThat(first.state().hosts().get(h).changed()).isEqualTo(1);
            assertThat(first.state().hosts().get(h).changedSteps()).containsExactly("Write the marker file");
            assertThat(out.resolve("marker-" + h)).hasContent("provisioned");
        }
        PlaybookResult second = runner().run(request(home.inventory, "change.yml", ev), new PlaybookRunner.Listener() {
        }, () -> 0);
        assertThat(second.ok()).isTrue();
        assertThat(second.state().hosts().values()).allSatisfy(hp -> {
            assertThat(hp.changed()).isZero();
            assertThat(hp.result()).isEqualTo("ok");
        });
    }

    @Test
    @DisplayName("a stop request (Ctrl-C) sends SIGINT to ansible's process group; nothing is left running")
    void stopRequestInterruptsCleanly() throws Exception {
        AtomicInteger stop = new AtomicInteger();
        AtomicLong pid = new AtomicLong();
        PlaybookResult r = runner().run(request(home.inventory, "slow.yml"), new PlaybookRunner.Listener() {
            @Override
            public void processStarted(long p) {
                pid.set(p);
            }

            @Override
            public void event(AnsibleEvent e, RunState state) {
                if ("task_start".equals(e.event()) && "Long step".equals(e.task())) {
                    stop.set(1);
                }
            }
        }, stop::get);
        assertThat(r.interrupted()).isTrue();
        // 99 is ansible's "user interrupted"; a SIGINT that lands while it forks workers can end it with 1.
        assertThat(r.ansibleExit()).isIn(PlaybookResult.ANSIBLE_INTERRUPTED, 1);
        assertThat(r.elapsed()).isLessThan(java.time.Duration.ofSeconds(60));
        assertThat(r.state().ended()).isFalse();
        assertThat(r.state().task()).isEqualTo("Long step");
        assertThat(r.state().inFlight()).containsExactlyInAnyOrder("cp1", "w1", "w2");
        assertThat(groupMembers(pid.get())).isEmpty();
    }

    @Test
    @DisplayName("SIGINT from outside to ansible's process group is reported as an interruption")
    void externalSigintToProcessGroup() throws Exception {
        AtomicLong pid = new AtomicLong();
        CountDownLatch longStep = new CountDownLatch(1);
        AtomicReference<PlaybookResult> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(runner().run(request(home.inventory, "slow.yml"), new PlaybookRunner.Listener() {
                    @Override
                    public void processStarted(long p) {
                        pid.set(p);
                    }

                    @Override
                    public void event(AnsibleEvent e, RunState state) {
                        if ("task_start".equals(e.event()) && "Long step".equals(e.task())) {
                            longStep.countDown();
                        }
                    }
                }, () -> 0));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        assertThat(longStep.await(60, TimeUnit.SECONDS)).isTrue();
        // What a terminal does on Ctrl-C: SIGINT to the whole foreground process group.
        new ProcessBuilder("kill", "-s", "INT", "--", "-" + pid.get()).inheritIO().start().waitFor();
        t.join(60_000);
        PlaybookResult r = result.get();
        assertThat(r).isNotNull();
        // The 120 s task did not run to its end, and nothing of the run is left.
        assertThat(r.elapsed()).isLessThan(java.time.Duration.ofSeconds(60));
        assertThat(groupMembers(pid.get())).isEmpty();
        // ansible's answer to a group-wide SIGINT is racy: "User interrupted execution" (99), a
        // dead worker (1), or the killed module counted as done (0). The first two are reported
        // as an interruption; the last is indistinguishable from a run that ended.
        if (r.ansibleExit() != 0) {
            assertThat(r.interrupted()).isTrue();
            assertThat(r.ok()).isFalse();
        }
    }

    @Test
    @DisplayName("the k3s service failure gets its hint and the last journal lines from the node")
    void k3sServiceFailureWithJournal() throws Exception {
        PlaybookResult r = runner().run(request(home.inventory, "k3s_fail.yml"), new PlaybookRunner.Listener() {
        }, () -> 0);
        assertThat(r.state().failures()).hasSize(1);
        Failure f = r.state().failures().get(0);
        assertThat(f.host()).isEqualTo("cp1");
        assertThat(f.role()).isEqualTo("k3s_control_plane");
        assertThat(f.step()).isEqualTo("k3s_control_plane : Start K3s");
        FailureReport.Hint h = FailureReport.hint(f, Map.of());
        assertThat(h.kind()).isEqualTo(FailureReport.Kind.K3S_SERVICE);
        assertThat(FailureReport.unit(f, Map.of())).isEqualTo("k3s");
        // A stand-in journalctl on the node (this machine): no systemd journal runs here.
        home.script("journalctl", "echo \"journalctl $*\"\necho 'k3s[812]: level=fatal msg=\"starting kubernetes: "
                + "preparing server: bootstrap data already found and encrypted with different token\"'\n");
        List<String> journal = new Journal(home.ansible, env).last(home.inventory, "cp1", "k3s");
        assertThat(journal).anySatisfy(l -> assertThat(l).contains("journalctl -u k3s -n 20"));
        assertThat(journal).anySatisfy(l -> assertThat(l).contains("level=fatal"));
        List<String> lines = FailureReport.lines(f, h, journal);
        assertThat(lines.get(0)).startsWith("cp1: failed at step 'k3s_control_plane : Start K3s': Unable to start service k3s");
        assertThat(lines).contains("  last journal lines:");
    }

    @Test
    @DisplayName("artifacts keep only the newest runs")
    void artifactsAreBounded() throws Exception {
        for (int i = 0; i < 5; i++) {
            RunArtifacts.create(home.artifacts, 3, java.time.Instant.parse("2026-01-01T00:00:0" + i + "Z"));
        }
        try (var s = Files.list(home.artifacts)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("20260101T000002Z", "20260101T000003Z", "20260101T000004Z");
        }
    }

    /** Processes still in the group (none once ansible is gone). */
    static List<String> groupMembers(long pgid) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (var s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[2]) == pgid && !f[0].equals("Z")) {
                        out.add(p.getFileName().toString());
                    }
                } catch (java.io.IOException e) {
                    // gone meanwhile
                }
            }
        }
        return out;
    }
}
