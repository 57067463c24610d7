package dev.kubani.ansible;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the events of one playbook run add up to: per host the task it is on and its counters,
 * the failures, and the tasks that changed (or would change, in check mode). Fed one event at
 * a time; read by the progress views and the summary. Not thread-safe: one reader thread
 * applies events and renders.
 */
public final class RunState {
    /** One host's progress. */
    public static final class HostProgress {
        private final String name;
        private String task;
        private String role;
        private int done;
        private int ok;
        private int changed;
        private int failed;
        private int unreachable;
        private int skipped;
        private int ignored;
        private Instant first;
        private Instant last;
        private boolean resultForCurrentTask;
        private final List<String> changedSteps = new ArrayList<>();

        HostProgress(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public String task() {
            return task;
        }

        public String role() {
            return role;
        }

        public int done() {
            return done;
        }

        public int ok() {
            return ok;
        }

        public int changed() {
            return changed;
        }

        public int failed() {
            return failed;
        }

        public int unreachable() {
            return unreachable;
        }

        public int skipped() {
            return skipped;
        }

        public int ignored() {
            return ignored;
        }

        /** Steps ("role : task") that reported changed, in order. */
        public List<String> changedSteps() {
            return Collections.unmodifiableList(changedSteps);
        }

        public Duration duration() {
            return first == null || last == null ? Duration.ZERO : Duration.between(first, last);
        }

        /** unreachable, failed, changed, ok or skipped (nothing but skips). */
        public String result() {
            if (unreachable > 0) {
                return "unreachable";
            }
            if (failed > 0) {
                return "failed";
            }
            if (changed > 0) {
                return "changed";
            }
            return ok > 0 ? "ok" : "skipped";
        }

        public boolean isBad() {
            return unreachable > 0 || failed > 0;
        }
    }

    private final Map<String, HostProgress> hosts = new LinkedHashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private final Set<String> playHosts = new LinkedHashSet<>();
    private String playbook;
    private String play;
    private String task;
    private String role;
    private int events;
    private boolean ended;
    private boolean sawStats;

    /** Applies one event. */
    public void apply(AnsibleEvent e) {
        events++;
        Instant now = e.ts() != null ? e.ts() : Instant.now();
        switch (e.event()) {
            case "playbook_start" -> playbook = e.play();
            case "play_start" -> {
                play = e.play();
                task = null;
                role = null;
                playHosts.clear();
            }
            case "task_start" -> {
                task = e.task();
                role = e.role();
                for (String h : playHosts) {
                    HostProgress hp = hosts.get(h);
                    if (hp != null && !hp.isBad()) {
                        hp.task = task;
                        hp.role = role;
                        hp.resultForCurrentTask = false;
                    }
                }
            }
            case "ok", "changed", "failed", "skipped", "unreachable" -> result(e, now);
            case "stats" -> {
                sawStats = true;
                e.stats().forEach((h, s) -> {
                    HostProgress hp = host(h);
                    // The recap is the authority for counts the events may not carry.
                    hp.failed = Math.max(hp.failed, s.failed());
                    hp.unreachable = Math.max(hp.unreachable, s.unreachable());
                });
            }
            case "playbook_end" -> ended = true;
            default -> {
                // unknown events from a newer callback are ignored
            }
        }
    }

    private void result(AnsibleEvent e, Instant now) {
        if (e.host() == null) {
            return;
        }
        HostProgress hp = host(e.host());
        playHosts.add(e.host());
        if (hp.first == null) {
            hp.first = now;
        }
        hp.last = now;
        hp.task = e.task();
        hp.role = e.role();
        hp.resultForCurrentTask = true;
        hp.done++;
        switch (e.event()) {
            case "ok" -> hp.ok++;
            case "changed" -> {
                hp.ok++;
                hp.changed++;
                hp.changedSteps.add(e.step());
            }
            case "skipped" -> hp.skipped++;
            case "failed" -> {
                if (e.ignoreErrors()) {
                    hp.ignored++;
                } else {
                    hp.failed++;
                    failures.add(new Failure(e.host(), e.play(), e.role(), e.task(), e.msg(), false));
                }
            }
            case "unreachable" -> {
                hp.unreachable++;
                failures.add(new Failure(e.host(), e.play(), e.role(), e.task(), e.msg(), true));
            }
            default -> {
            }
        }
    }

    /** Makes sure a host appears (e.g. hosts in scope that no event has named yet). */
    public HostProgress host(String name) {
        return hosts.computeIfAbsent(name, HostProgress::new);
    }

    public Map<String, HostProgress> hosts() {
        return Collections.unmodifiableMap(hosts);
    }

    public List<Failure> failures() {
        return Collections.unmodifiableList(failures);
    }

    public String playbook() {
        return playbook;
    }

    public String play() {
        return play;
    }

    public String task() {
        return task;
    }

    public String role() {
        return role;
    }

    public int events() {
        return events;
    }

    /** True once playbook_end arrived: the run was not cut short. */
    public boolean ended() {
        return ended;
    }

    public boolean sawStats() {
        return sawStats;
    }

    /** Hosts that were in the middle of the current task (no result for it yet). */
    public List<String> inFlight() {
        List<String> out = new ArrayList<>();
        if (task == null) {
            return out;
        }
        for (String h : playHosts) {
            HostProgress hp = hosts.get(h);
            if (hp != null && !hp.isBad() && !hp.resultForCurrentTask) {
                out.add(h);
            }
        }
        return out;
    }

    public boolean anyFailed() {
        return hosts.values().stream().anyMatch(HostProgress::isBad);
    }
}
