package dev.kubani.ansibletests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.yaml.snakeyaml.Yaml;

/** Runs ansible-playbook from ansible/ with the project's ansible.cfg and collects events. */
final class AnsibleRun {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    record Outcome(Proc.Result proc, List<Map<String, Object>> events, Path eventsFile) {
        int rc() {
            return proc.rc();
        }

        String out() {
            return proc.out();
        }

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> stats() {
            for (Map<String, Object> e : events) {
                if ("stats".equals(e.get("event"))) {
                    return (Map<String, Map<String, Object>>) e.get("stats");
                }
            }
            throw new AssertionError("no stats event; output:\n" + proc.out());
        }

        int stat(String host, String key) {
            Map<String, Object> s = stats().get(host);
            return s == null ? -1 : ((Number) s.get(key)).intValue();
        }

        List<Map<String, Object>> events(String event, String host) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> e : events) {
                if (event.equals(e.get("event")) && (host == null || host.equals(e.get("host")))) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    private AnsibleRun() {}

    static Map<String, String> env(Path work) {
        Map<String, String> env = new HashMap<>();
        env.put("ANSIBLE_CONFIG", Repo.ansible().resolve("ansible.cfg").toString());
        env.put("ANSIBLE_CACHE_PLUGIN_CONNECTION", work.resolve("facts").toString());
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", work.resolve("cp").toString());
        // The kubani strategies' stored template code (kubani_linear.py), per test work directory.
        env.put("KUBANI_TEMPLATE_CACHE", work.resolve("templates-code").toString());
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_FORCE_COLOR", "0");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        env.put("ANSIBLE_LOCAL_TEMP", work.resolve("tmp").toString());
        // Short-lived SSH masters: nothing lingers long after a test's last run.
        env.put("ANSIBLE_SSH_ARGS", "-o ControlMaster=auto -o ControlPersist=15s");
        return env;
    }

    /**
     * A fresh work directory (with the local temp directory {@link #env} points at) and, in it,
     * hosts.yml: the given hosts, each this machine through a local connection.
     */
    static Path localHosts(String prefix, String... hosts) throws IOException {
        Path work = Files.createTempDirectory(prefix);
        Files.createDirectories(work.resolve("tmp"));
        StringBuilder inv = new StringBuilder("""
                all:
                  vars: {ansible_connection: local, ansible_python_interpreter: /usr/bin/python3}
                  hosts:
                """);
        for (String h : hosts) {
            inv.append("    ").append(h).append(": {}\n");
        }
        Files.writeString(work.resolve("hosts.yml"), inv);
        return work;
    }

    static Outcome playbook(Path work, Path inventory, String playbook, String... args) {
        Path events = work.resolve("events-" + COUNTER.incrementAndGet() + ".jsonl");
        Map<String, String> env = env(work);
        env.put("KUBANI_EVENTS", events.toString());
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(),
                Repo.playbook(playbook).toString()));
        cmd.addAll(List.of(args));
        Proc.Result r = Proc.run(Repo.ansible(), env, 600, cmd);
        appendLog(work, r);
        return new Outcome(r, readEvents(events), events);
    }

    /** Every run's output is kept in the work dir (output.log) for the no-secret-in-output checks. */
    private static synchronized void appendLog(Path work, Proc.Result r) {
        try {
            Files.writeString(work.resolve("output.log"), r.toString() + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> readEvents(Path file) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        Yaml yaml = new Yaml();
        try {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add((Map<String, Object>) yaml.load(line));
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return out;
    }
}
