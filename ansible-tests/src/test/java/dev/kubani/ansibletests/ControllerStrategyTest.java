package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kubani_linear and kubani_free strategies (ansible/strategy_plugins) settle steps that never
 * reach the node in the controller process. Whatever a playbook sees must be the same as when every
 * step goes to a forked worker (KUBANI_STRATEGY_FORK_ALL=1, which is plain linear and free): the
 * statuses and messages of every step on every host, registered results, facts, includes, handlers,
 * ignored failures and condition errors. Runs on three local-connection hosts, in both strategies.
 */
@DisplayName("kubani strategies: controller-side steps behave exactly as forked ones")
class ControllerStrategyTest {
    static Path work;
    static Path playbook;
    static Path inventory;

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue(Repo.onPath("ansible-playbook"), "ansible-core is not installed");
        work = AnsibleRun.localHosts("kubani-strategy", "a", "b", "c");
        inventory = work.resolve("hosts.yml");
        // Variables from group_vars/ and host_vars/ next to the inventory (host_group_vars).
        Files.createDirectories(work.resolve("group_vars"));
        Files.createDirectories(work.resolve("host_vars"));
        Files.writeString(work.resolve("group_vars/all.yml"), "gv_all: from-group-vars\n");
        Files.writeString(work.resolve("host_vars/b.yml"), "gv_host: b-only\n");
        Files.writeString(work.resolve("included.yml"), """
                - name: Inside the include
                  ansible.builtin.set_fact:
                    f_included: "{{ inventory_hostname }} was included"
                - name: Skipped inside the include
                  ansible.builtin.command: "false"
                  when: f_included is not defined
                """);
        Files.writeString(work.resolve("steps.yml"), """
                - name: Runs on a and c, skipped on b
                  ansible.builtin.command: "true"
                  changed_when: false
                  when: inventory_hostname != 'b'
                  register: r_cmd
                - name: Skipped everywhere, registered
                  ansible.builtin.command: "false"
                  when: nothing_defined is defined
                  register: r_skip
                - name: Where conditions are evaluated
                  ansible.builtin.command: "false"
                  when: lookup('ansible.builtin.pipe', 'echo $PPID >>' ~ out ~ '/pids-' ~ strategy_label) is not string
                - name: Runs everywhere; its condition is evaluated once per host
                  ansible.builtin.command: "true"
                  changed_when: false
                  when: lookup('ansible.builtin.pipe', 'echo ' ~ inventory_hostname ~ ' >>' ~ out ~ '/evals-' ~ strategy_label) is string
                - name: Retried where it runs, skipped elsewhere
                  ansible.builtin.command: "true"
                  register: r_until
                  until: r_until.rc == 0
                  retries: 2
                  delay: 0
                  changed_when: false
                  when: inventory_hostname == 'b'
                - name: Async, skipped everywhere, and where its condition is evaluated
                  ansible.builtin.command: "false"
                  async: 10
                  poll: 1
                  register: r_async
                  when: lookup('ansible.builtin.pipe', 'echo $PPID >>' ~ out ~ '/pids-async-' ~ strategy_label) is not string
                - name: Set a fact from a skipped result
                  ansible.builtin.set_fact:
                    f_val: "{{ inventory_hostname | upper }}-{{ r_skip.skipped }}-{{ r_skip.skip_reason }}"
                - name: Debug, registered
                  ansible.builtin.debug:
                    msg: "{{ f_val }}"
                  register: r_debug
                - name: Assert that holds
                  ansible.builtin.assert:
                    that: [f_val is defined]
                    quiet: true
                - name: Assert that fails on c, ignored
                  ansible.builtin.assert:
                    that: [inventory_hostname != 'c']
                    fail_msg: "{{ inventory_hostname }}: c is not allowed here"
                  ignore_errors: true
                - name: Condition that errors on a, ignored
                  ansible.builtin.debug:
                    msg: never
                  when: inventory_hostname == 'a' and undefined_thing.attr == 1
                  ignore_errors: true
                - name: Unknown filter, ignored
                  ansible.builtin.debug:
                    msg: "{{ inventory_hostname | kubani_no_such_filter }}"
                  ignore_errors: true
                - name: Unknown filter again (the cached miss), and a Jinja filter, ignored
                  ansible.builtin.debug:
                    msg: "{{ [inventory_hostname] | join(',') | kubani_no_such_filter }}"
                  ignore_errors: true
                - name: Fail on b, ignored
                  ansible.builtin.fail:
                    msg: "{{ inventory_hostname }}: step 'demo' failed"
                  when: inventory_hostname == 'b'
                  ignore_errors: true
                - name: Include on a only
                  ansible.builtin.include_tasks: included.yml
                  when: inventory_hostname == 'a'
                - name: Changed on b, notifies
                  ansible.builtin.command: "true"
                  changed_when: true
                  when: inventory_hostname == 'b'
                  notify: Handler
                - name: Loop with a condition per item
                  ansible.builtin.debug:
                    msg: "item {{ item }}"
                  loop: [1, 2]
                  when: item == 2
                - name: Keep what was registered
                  ansible.builtin.copy:
                    dest: "{{ out }}/{{ strategy_label }}-{{ inventory_hostname }}.json"
                    mode: "0600"
                    content: >-
                      {{ {'cmd': r_cmd | dict2items | rejectattr('key', 'in', ['start', 'end', 'delta']) | items2dict, 'skip': r_skip, 'debug': r_debug, 'fact': f_val,
                          'until': r_until | dict2items | rejectattr('key', 'in', ['start', 'end', 'delta']) | items2dict,
                          'async': r_async, 'included': f_included | default(None),
                          'vars_files': gv_all ~ '/' ~ (gv_host | default('-'))} | to_nice_json }}
                """);
        playbook = work.resolve("play.yml");
        // The same steps and handler under each strategy; only the name and label differ.
        StringBuilder plays = new StringBuilder();
        for (String strategy : List.of("linear", "free")) {
            plays.append("""
                    - name: %s
                      hosts: all
                      gather_facts: false
                      strategy: kubani_%s
                      vars: {strategy_label: "%s-{{ fork_all }}"}
                      tasks:
                        - name: Steps
                          ansible.builtin.import_tasks: steps.yml
                      handlers:
                        - name: Handler
                          ansible.builtin.debug:
                            msg: handled
                    """.formatted(strategy, strategy, strategy));
        }
        Files.writeString(playbook, plays);
    }

    record Run(Proc.Result proc, List<String> events) {}

    static Run run(boolean forkAll) {
        Path events = work.resolve("events-" + forkAll + ".jsonl");
        Map<String, String> env = AnsibleRun.env(work);
        env.put("KUBANI_EVENTS", events.toString());
        env.put("KUBANI_STRATEGY_FORK_ALL", forkAll ? "1" : "0");
        Proc.Result r = Proc.run(Repo.ansible(), env, 300, "ansible-playbook", "-i", inventory.toString(),
                playbook.toString(), "-e", "out=" + work, "-e", "fork_all=" + forkAll);
        // Hosts run in parallel, so only the per-host order is fixed: compare sorted (play, host,
        // task, status, message) lines, without timestamps.
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> e : AnsibleRun.readEvents(events)) {
            Map<String, Object> copy = new TreeMap<>(e);
            copy.remove("ts");
            lines.add(copy.toString().replace("fork_all=" + forkAll, ""));
        }
        lines.sort(null);
        return new Run(r, lines);
    }

    static Map<String, String> registered(boolean forkAll) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String strategy : List.of("linear", "free")) {
            for (String host : List.of("a", "b", "c")) {
                out.put(strategy + "-" + host,
                        Files.readString(work.resolve(strategy + "-" + forkAll + "-" + host + ".json")));
            }
        }
        return out;
    }

    @Test
    @DisplayName("same statuses, messages, stats and registered results as with a worker per step, "
            + "and conditions evaluated in one process")
    void sameAsForked() throws IOException {
        Run forked = run(true);
        Run decided = run(false);
        assertThat(forked.proc().rc()).as(forked.proc().out()).isZero();
        assertThat(decided.proc().rc()).as(decided.proc().out()).isZero();
        assertThat(decided.events()).isEqualTo(forked.events());
        assertThat(registered(false)).isEqualTo(registered(true));

        // The recap is the same, and the interesting cases did happen.
        assertThat(recap(decided.proc().out())).isEqualTo(recap(forked.proc().out()));
        assertThat(decided.proc().out())
                .contains("c: c is not allowed here", "b: step 'demo' failed", "undefined_thing", "handled",
                        "item 2", "kubani_no_such_filter");
        assertThat(registered(false).get("linear-a")).contains("\"skip_reason\": \"Conditional result was False\"",
                "\"included\": \"a was included\"", "\"fact\": \"A-True-Conditional result was False\"");
        // A step with until or async whose condition is false is skipped before its retries or
        // its async job: decided on the controller too, with the same result.
        assertThat(registered(false).get("free-b")).contains("\"attempts\": 1");
        assertThat(registered(false).get("linear-b")).contains("\"vars_files\": \"from-group-vars/b-only\"");
        assertThat(registered(false).get("linear-c")).contains("\"vars_files\": \"from-group-vars/-\"");
        assertThat(registered(false).get("free-c")).contains("\"until\": {\n        \"changed\": false,\n        \"skip_reason\"");

        // Forked: each host's condition is evaluated in its own worker; decided on the controller:
        // all of them in one process.
        for (String strategy : List.of("linear", "free")) {
            assertThat(pids(strategy + "-true")).as("forked, " + strategy).hasSize(3);
            assertThat(pids(strategy + "-false")).as("on the controller, " + strategy).hasSize(1);
            assertThat(pids("async-" + strategy + "-true")).as("async, forked, " + strategy).hasSize(3);
            assertThat(pids("async-" + strategy + "-false")).as("async, on the controller, " + strategy).hasSize(1);
        }

        // A step whose condition holds goes to a worker; the condition is still evaluated once per
        // host (the worker takes the controller's result), as with a worker per step.
        for (String strategy : List.of("linear", "free")) {
            assertThat(evaluations(strategy + "-true")).as("forked, " + strategy).containsExactly("a", "b", "c");
            assertThat(evaluations(strategy + "-false")).as("on the controller, " + strategy)
                    .containsExactly("a", "b", "c");
            Files.delete(work.resolve("evals-" + strategy + "-false"));
        }

        // Again with the template code the run before stored (KUBANI_TEMPLATE_CACHE): the same.
        assertThat(work.resolve("templates-code")).isDirectory();
        Map<String, String> before = registered(false);
        for (String strategy : List.of("linear", "free")) {
            for (String host : List.of("a", "b", "c")) {
                Files.delete(work.resolve(strategy + "-false-" + host + ".json"));
            }
        }
        Files.delete(work.resolve("events-false.jsonl"));
        Run stored = run(false);
        assertThat(stored.proc().rc()).as(stored.proc().out()).isZero();
        assertThat(stored.events()).isEqualTo(forked.events());
        assertThat(registered(false)).isEqualTo(before);
        assertThat(recap(stored.proc().out())).isEqualTo(recap(forked.proc().out()));
        for (String strategy : List.of("linear", "free")) {
            assertThat(evaluations(strategy + "-false")).as("stored code, " + strategy).containsExactly("a", "b", "c");
        }
    }

    static List<String> evaluations(String label) throws IOException {
        return Files.readAllLines(work.resolve("evals-" + label)).stream().map(String::strip).sorted().toList();
    }

    static List<String> recap(String out) {
        return out.lines().filter(l -> l.matches("^[abc] +: ok=.*")).map(String::strip).sorted().toList();
    }

    static List<String> pids(String label) throws IOException {
        return Files.readAllLines(work.resolve("pids-" + label)).stream().map(String::strip).distinct().toList();
    }
}
