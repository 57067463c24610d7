package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("kubani_events callback: JSON lines for the CLI")
class EventsCallbackTest {
    static final Set<String> KEYS = Set.of("ts", "event", "play", "task", "role", "host", "msg", "ignore_errors", "stats");
    static final Set<String> EVENTS = Set.of("playbook_start", "play_start", "task_start", "ok", "changed", "failed",
            "skipped", "unreachable", "stats", "playbook_end");
    static Path work;
    static Path playbook;
    static Path inventory;

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue(Repo.onPath("ansible-playbook"), "ansible-core is not installed");
        work = AnsibleRun.localHosts("kubani-events", "local-a", "local-b");
        inventory = work.resolve("hosts.yml");
        playbook = work.resolve("events.yml");
        Files.writeString(playbook, """
                - name: Events play
                  hosts: all
                  gather_facts: false
                  tasks:
                    - name: Probe
                      ansible.builtin.command: "true"
                      changed_when: false
                    - name: Change
                      ansible.builtin.command: "true"
                      changed_when: true
                      when: inventory_hostname == 'local-a'
                    - name: Secret failure
                      ansible.builtin.command: /bin/sh -c 'echo SUPERSECRET-TOKEN; exit 3'
                      changed_when: false
                      no_log: true
                      ignore_errors: true
                    - name: Plain failure
                      ansible.builtin.fail:
                        msg: "{{ inventory_hostname }}: step 'demo' failed"
                      when: inventory_hostname == 'local-b'
                """);
    }

    Proc.Result run(Map<String, String> extraEnv) {
        Map<String, String> env = AnsibleRun.env(work);
        env.putAll(extraEnv);
        return Proc.run(Repo.ansible(), env, 120, "ansible-playbook", "-i", inventory.toString(), playbook.toString());
    }

    @Test
    @DisplayName("writes one JSON object per line with the agreed keys, censors no_log and carries stats")
    void eventsFile() {
        Path events = work.resolve("run.jsonl");
        Proc.Result r = run(Map.of("KUBANI_EVENTS", events.toString()));
        assertThat(r.rc()).as(r.out()).isEqualTo(2);
        List<Map<String, Object>> ev = AnsibleRun.readEvents(events);
        assertThat(ev).isNotEmpty().allSatisfy(e -> {
            assertThat(e.keySet()).isEqualTo(KEYS);
            assertThat(EVENTS).contains((String) e.get("event"));
            assertThat((String) e.get("ts")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+00:00");
        });
        assertThat(ev.get(0)).containsEntry("event", "playbook_start").containsEntry("play", "events.yml");
        assertThat(ev.get(ev.size() - 1)).containsEntry("event", "playbook_end");
        assertThat(ev).anySatisfy(e -> assertThat(e).containsEntry("event", "changed").containsEntry("host", "local-a")
                .containsEntry("task", "Change").containsEntry("play", "Events play"));
        assertThat(ev).filteredOn(e -> "Secret failure".equals(e.get("task")) && "failed".equals(e.get("event")))
                .hasSize(2).allSatisfy(e -> assertThat(e).containsEntry("msg", "censored (no_log)")
                        .containsEntry("ignore_errors", true));
        assertThat(ev).anySatisfy(e -> assertThat(e).containsEntry("event", "failed").containsEntry("host", "local-b")
                .containsEntry("msg", "local-b: step 'demo' failed").containsEntry("ignore_errors", false));
        assertThat(ev).filteredOn(e -> "ok".equals(e.get("event")) || "changed".equals(e.get("event")))
                .allSatisfy(e -> assertThat(e.get("msg")).isNull());
        Map<String, Object> stats = ev.stream().filter(e -> "stats".equals(e.get("event"))).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> s = (Map<String, Map<String, Object>>) stats.get("stats");
        assertThat(s.get("local-a")).containsEntry("changed", 1).containsEntry("ignored", 1).containsEntry("failed", 0)
                .containsKeys("ok", "unreachable", "skipped", "rescued");
        assertThat(s.get("local-b")).containsEntry("failed", 1);
        assertThat(events.toFile()).content().doesNotContain("SUPERSECRET");
    }

    @Test
    @DisplayName("is inert without KUBANI_EVENTS, and writes to stdout with KUBANI_EVENTS=-")
    void inertAndStdout() {
        Proc.Result quiet = run(Map.of());
        assertThat(quiet.out()).doesNotContain("\"event\": \"playbook_start\"");
        Proc.Result stdout = run(Map.of("KUBANI_EVENTS", "-"));
        assertThat(stdout.out()).contains("\"event\": \"playbook_start\"", "\"event\": \"playbook_end\"");
    }
}
