package dev.kubani.provision;

import dev.kubani.ansible.AnsibleEvent;
import dev.kubani.ansible.PlaybookRunner;
import dev.kubani.ansible.RunState;
import dev.kubani.k0s.K0sctl;
import dev.kubani.k0s.K0sctlOutput;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a k0sctl apply onto provision's progress display (the same views, events and
 * {@link RunState} as a playbook run): the apply is one play, each k0sctl phase a task, and
 * each host the phase's log lines name gets a result when the phase ends: "changed" for a
 * phase that does work on hosts, "ok" for one that only looks (connect, gather facts,
 * validate, locks). In a dry run every phase is "ok" and each action k0sctl says it would
 * take is a "changed" result on its host. The failing host gets "failed" ("unreachable" when
 * k0sctl could not connect to it) at the failed phase. Every line, secrets masked, goes to the
 * run log.
 */
final class K0sctlProgress implements K0sctl.Listener, AutoCloseable {
    /** k0sctl's phases that only read or coordinate; hosts named in any other phase had work done on them. */
    static final Set<String> READ_ONLY = Set.of("Connect to hosts", "Detect host operating systems",
            "Acquire exclusive host lock", "Gather host facts", "Validate hosts", "Gather k0s facts", "Validate facts",
            "Validate etcd members", "Validate kine", "Set k0s version", "Release exclusive host lock",
            "Disconnect from hosts", "Download k0s binaries to local host");
    static final String CONNECT = "Connect to hosts";
    static final String PLAY = "k0sctl apply";
    private static final int TAIL_LINES = 40;

    private final RunState state = new RunState();
    private final PlaybookRunner.Listener view;
    private final Writer log;
    private final Map<String, String> names;
    private final boolean dryRun;
    private final String play;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Set<String> inPhase = new LinkedHashSet<>();
    private String phase;

    /**
     * @param names SSH address to inventory name
     * @param play  what the display calls the run ("k0sctl apply: CLUSTER")
     */
    K0sctlProgress(PlaybookRunner.Listener view, Path logFile, Map<String, String> names, boolean dryRun, String play)
            throws IOException {
        this.view = view;
        this.names = names;
        this.dryRun = dryRun;
        this.play = play;
        Files.deleteIfExists(logFile);
        Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    RunState state() {
        return state;
    }

    /** The last lines k0sctl printed (masked). */
    List<String> tail() {
        return List.copyOf(tail);
    }

    /** The current k0sctl phase, or null before the first. */
    String phase() {
        return phase;
    }

    /** Hosts the current phase has named and that have no result for it yet. */
    List<String> inPhase() {
        return List.copyOf(inPhase);
    }

    /** Announces the run (command line and log) and opens the play. */
    void start(Path runDir, String commandLine) {
        view.started(runDir, commandLine);
        emit(event("playbook_start", null, null, null));
        emit(event("play_start", null, null, null));
    }

    @Override
    public void line(String line) {
        try {
            log.write(line);
            log.write('\n');
            log.flush();
        } catch (IOException e) {
            // a full disk must not stop the apply; the display still shows the run
        }
        tail.addLast(line);
        if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
        }
        view.rawLine(line);
        String address = K0sctlOutput.address(line);
        if (address != null && phase != null && !line.startsWith("dry-run:")) {
            inPhase.add(name(address));
        }
    }

    @Override
    public void phase(String title) {
        closePhase();
        phase = title;
        emit(event("task_start", title, null, null));
    }

    @Override
    public void tick() {
        view.tick(state);
    }

    @Override
    public void stopping() {
        view.stopping(state);
    }

    /** Results for the end of the run: the last phase's hosts, the failure, the dry run's actions, the recap. */
    void finish(K0sctl.Result r) {
        if (r.interrupted()) {
            emitStats();
            return;
        }
        if (r.ok()) {
            closePhase();
        } else if (r.failure() != null && r.failure().host() != null) {
            String host = r.failure().host();
            String at = r.failure().phase() != null ? r.failure().phase() : phase;
            inPhase.remove(host);
            emit(event(CONNECT.equals(at) ? "unreachable" : "failed", at, host,
                    r.failure().message() == null ? "k0sctl apply failed (exit code " + r.exitCode() + ")"
                            : r.failure().message()));
        }
        if (dryRun) {
            r.dryRun().forEach((address, actions) -> {
                String host = "local".equals(address) ? "localhost" : name(address);
                for (String a : actions) {
                    emit(event("changed", a, host, null));
                }
            });
        }
        emitStats();
        emit(event("playbook_end", null, null, null));
    }

    private void emitStats() {
        Map<String, AnsibleEvent.HostStats> stats = new LinkedHashMap<>();
        for (RunState.HostProgress hp : state.hosts().values()) {
            stats.put(hp.name(), new AnsibleEvent.HostStats(hp.ok(), hp.changed(), hp.failed(), hp.unreachable(),
                    hp.skipped(), 0, hp.ignored()));
        }
        emit(new AnsibleEvent(Instant.now(), "stats", play, null, null, null, null, false, stats));
    }

    private void closePhase() {
        if (phase == null) {
            return;
        }
        String result = dryRun || READ_ONLY.contains(phase) ? "ok" : "changed";
        for (String h : new ArrayList<>(inPhase)) {
            emit(event(result, phase, h, null));
        }
        inPhase.clear();
    }

    private String name(String address) {
        return names.getOrDefault(address, address);
    }

    private AnsibleEvent event(String kind, String task, String host, String msg) {
        return new AnsibleEvent(Instant.now(), kind, kind.equals("playbook_start") ? PLAY : play, task, null, host, msg,
                false, null);
    }

    private void emit(AnsibleEvent e) {
        state.apply(e);
        view.event(e, state);
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
