package dev.kubani.ansible;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the kubani_events callback (ansible/callback_plugins/kubani_events.py): a
 * playbook, play or task starting, a host's result, or the final stats.
 *
 * @param event playbook_start, play_start, task_start, ok, changed, failed, skipped,
 *              unreachable, stats or playbook_end
 * @param msg   the module's message, only for failed and unreachable results
 * @param paths the files a changed kubani_files task changed (paths only), else empty
 */
public record AnsibleEvent(Instant ts, String event, String play, String task, String role, String host,
                           String msg, boolean ignoreErrors, Map<String, HostStats> stats, List<String> paths) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The recap counters ansible keeps per host. */
    public record HostStats(int ok, int changed, int failed, int unreachable, int skipped, int rescued, int ignored) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", ok);
            m.put("changed", changed);
            m.put("failed", failed);
            m.put("unreachable", unreachable);
            m.put("skipped", skipped);
            m.put("rescued", rescued);
            m.put("ignored", ignored);
            return m;
        }
    }

    public AnsibleEvent {
        stats = stats == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(stats));
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    /** An event without changed paths (every source but kubani_files results). */
    public AnsibleEvent(Instant ts, String event, String play, String task, String role, String host,
                        String msg, boolean ignoreErrors, Map<String, HostStats> stats) {
        this(ts, event, play, task, role, host, msg, ignoreErrors, stats, List.of());
    }

    /** Parses one line; null for blank lines and for anything that is not an event object. */
    public static AnsibleEvent parse(String line) {
        if (line == null || line.isBlank()) {
            return null;
        }
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (n == null || !n.isObject() || !n.path("event").isTextual()) {
            return null;
        }
        Map<String, HostStats> stats = new LinkedHashMap<>();
        JsonNode s = n.path("stats");
        if (s.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode h = e.getValue();
                // "failures" is the name ansible's own summarize() uses; accept both.
                int failed = Math.max(h.path("failed").asInt(0), h.path("failures").asInt(0));
                stats.put(e.getKey(), new HostStats(h.path("ok").asInt(0), h.path("changed").asInt(0), failed,
                        h.path("unreachable").asInt(0), h.path("skipped").asInt(0), h.path("rescued").asInt(0),
                        h.path("ignored").asInt(0)));
            }
        }
        List<String> paths = new ArrayList<>();
        for (JsonNode p : n.path("paths")) {
            if (p.isTextual()) {
                paths.add(p.asText());
            }
        }
        return new AnsibleEvent(time(n.path("ts").asText(null)), n.path("event").asText(), text(n, "play"),
                text(n, "task"), text(n, "role"), text(n, "host"), text(n, "msg"),
                n.path("ignore_errors").asBoolean(false), stats, paths);
    }

    private static String text(JsonNode n, String k) {
        JsonNode v = n.get(k);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static Instant time(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public boolean isResult() {
        return host != null && switch (event) {
            case "ok", "changed", "failed", "skipped", "unreachable" -> true;
            default -> false;
        };
    }

    /** "role : task" as ansible prints it, or the task alone. */
    public String step() {
        if (task == null) {
            return play == null ? "" : play;
        }
        return role == null || task.startsWith(role + " : ") ? task : role + " : " + task;
    }

    /** The event as a map for --output json (null fields left out). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        if (ts != null) {
            m.put("ts", ts.toString());
        }
        put(m, "play", play);
        put(m, "role", role);
        put(m, "task", task);
        put(m, "host", host);
        put(m, "msg", msg);
        if (ignoreErrors) {
            m.put("ignore_errors", true);
        }
        if (!paths.isEmpty()) {
            m.put("paths", paths);
        }
        if (!stats.isEmpty()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            stats.forEach((h, st) -> sm.put(h, st.toMap()));
            m.put("stats", sm);
        }
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
