package dev.kubani.ansible;

import dev.kubani.core.KubaniException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Runs ansible-playbook as a subprocess and turns its kubani_events stream into
 * {@link RunState} updates for a {@link Listener}.
 *
 * <ul>
 *   <li>ansible runs in its own process group (session), started through a tiny python3
 *       wrapper that also restores the default SIGINT action (a shell or CI runner may have
 *       started us with SIGINT ignored, which exec would pass on to ansible);</li>
 *   <li>events are read from {@code events.jsonl} in the run directory as ansible writes them;
 *       ansible's own output goes to {@code stdout} there;</li>
 *   <li>cancellation (Ctrl-C): SIGINT to ansible-playbook, which stops its workers and exits
 *       99 (repeated every 2 s, since one landing while ansible forks can be lost, and sent to
 *       the whole group after 10 s); SIGTERM to the group after {@link #INT_GRACE}, SIGKILL
 *       after {@link #TERM_GRACE} more, or both at once on a second request. Whatever is left
 *       in the group when ansible has exited is killed.</li>
 * </ul>
 */
public final class PlaybookRunner {
    public static final Duration INT_GRACE = Duration.ofSeconds(30);
    public static final Duration TERM_GRACE = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;
    private static final String WRAPPER = "import os,signal,sys\n"
            + "signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
            + "os.setsid()\n"
            + "os.execvp(sys.argv[1], sys.argv[1:])\n";

    /** Receives the run as it happens; all calls come from the thread that called run(). */
    public interface Listener {
        default void started(Path runDir, String commandLine) {
        }

        default void event(AnsibleEvent e, RunState state) {
        }

        /** ansible-playbook runs with this pid, which is also its process group id. */
        default void processStarted(long pid) {
        }

        /** A line of ansible's own output (called from the output thread). */
        default void rawLine(String line) {
        }

        /** Called about ten times a second while ansible runs (for spinners). */
        default void tick(RunState state) {
        }

        /** The first stop request was passed to ansible. */
        default void stopping(RunState state) {
        }
    }

    private final Path ansibleDir;
    private final Path artifactsRoot;
    private final Map<String, String> env;
    private final int keepRuns;

    /**
     * @param ansibleDir    the ansible/ directory (ansible.cfg, callback_plugins/); the working directory
     * @param artifactsRoot where run directories go (ansible/artifacts)
     * @param env           the environment ansible gets (the user's, plus what the runner sets)
     */
    public PlaybookRunner(Path ansibleDir, Path artifactsRoot, Map<String, String> env, int keepRuns) {
        this.ansibleDir = ansibleDir;
        this.artifactsRoot = artifactsRoot;
        this.env = env;
        this.keepRuns = keepRuns;
    }

    /** The ansible-playbook program: $KUBANI_ANSIBLE_PLAYBOOK or the one on PATH (exit 3 when missing). */
    public static String executable(Map<String, String> env) {
        String bin = env.getOrDefault("KUBANI_ANSIBLE_PLAYBOOK", "ansible-playbook");
        String found = which(bin, env);
        if (found == null) {
            throw KubaniException.unexpectedState("ansible-playbook is not installed on this machine ('" + bin
                    + "' not found on PATH): install it with 'sudo apt-get install ansible-core' (Debian/Ubuntu) "
                    + "or 'pipx install ansible-core'");
        }
        return found;
    }

    static String which(String bin, Map<String, String> env) {
        if (bin.contains("/")) {
            return Files.isExecutable(Path.of(bin)) ? bin : null;
        }
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, bin))) {
                return Path.of(d, bin).toString();
            }
        }
        return null;
    }

    /** The callback plugin must be there, or there is no progress to show. */
    public void checkCallback() {
        Path plugin = ansibleDir.resolve("callback_plugins").resolve("kubani_events.py");
        if (!Files.isRegularFile(plugin)) {
            throw KubaniException.unexpectedState("the event callback " + plugin + " is missing: restore it with "
                    + "'git checkout -- ansible/callback_plugins' in the Kubani checkout");
        }
    }

    /**
     * Runs the playbook to the end (or until stopped) and returns how it went.
     *
     * @param stop 0 to go on, 1 to stop ansible gracefully, 2 to stop it now
     */
    public PlaybookResult run(PlaybookRequest req, Listener listener, IntSupplier stop) throws IOException {
        return run(newRunDir(), req, listener, stop);
    }

    /** A fresh run directory under the artifacts root (older runs beyond the limit are removed). */
    public Path newRunDir() throws IOException {
        return RunArtifacts.create(artifactsRoot, keepRuns, Instant.now());
    }

    /** Runs in a run directory made by {@link #newRunDir()}. */
    public PlaybookResult run(Path runDir, PlaybookRequest req, Listener listener, IntSupplier stop) throws IOException {
        checkCallback();
        String ansible = executable(env);
        Path events = runDir.resolve("events.jsonl");
        Path stdout = runDir.resolve("stdout");
        writePrivate(runDir.resolve("command"), "cd " + ansibleDir + "\n" + req.display() + "\n");

        List<String> cmd = new ArrayList<>();
        String python = which("python3", env);
        if (python != null) {
            cmd.add(python);
            cmd.add("-c");
            cmd.add(WRAPPER);
        }
        cmd.add(ansible);
        cmd.addAll(req.arguments());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(ansibleDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(ansibleEnv(events));
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));

        RunState state = new RunState();
        Instant start = Instant.now();
        listener.started(runDir, req.display());
        Process proc = pb.start();
        listener.processStarted(proc.pid());
        Thread killOnExit = new Thread(() -> signalGroup(proc, "KILL"), "kubani-ansible-cleanup");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        Deque<String> tail = new ArrayDeque<>();
        Map<String, String> details = new java.util.concurrent.ConcurrentHashMap<>();
        Thread pump = new Thread(() -> pump(proc, stdout, tail, details, listener), "kubani-ansible-output");
        pump.setDaemon(true);
        pump.start();

        boolean interrupted = false;
        Instant intSent = null;
        Instant lastInt = null;
        Instant termSent = null;
        boolean killed = false;
        EventTail reader = new EventTail(events);
        try {
            long lastTick = 0;
            while (true) {
                boolean alive = proc.isAlive();
                for (AnsibleEvent e : reader.poll()) {
                    state.apply(e);
                    listener.event(e, state);
                }
                if (!alive) {
                    break;
                }
                int level = stop.getAsInt();
                Instant now = Instant.now();
                if (level >= 1 && intSent == null) {
                    interrupted = true;
                    intSent = now;
                    lastInt = now;
                    // ansible's own process handles SIGINT: it stops its workers and exits 99.
                    signalProcess(proc, "INT");
                    listener.stopping(state);
                } else if (intSent != null && termSent == null && level < 2
                        && Duration.between(lastInt, now).toMillis() >= 2000) {
                    // A SIGINT that lands while ansible forks a worker can be lost: repeat it, and
                    // after a while send it to the whole group (the modules too).
                    lastInt = now;
                    if (Duration.between(intSent, now).toSeconds() >= 10) {
                        signalGroup(proc, "INT");
                    } else {
                        signalProcess(proc, "INT");
                    }
                }
                if (intSent != null && termSent == null
                        && (level >= 2 || Duration.between(intSent, now).compareTo(INT_GRACE) > 0)) {
                    termSent = now;
                    signalGroup(proc, "TERM");
                }
                if (termSent != null && !killed
                        && (level >= 2 && Duration.between(termSent, now).toMillis() > 2000
                        || Duration.between(termSent, now).compareTo(TERM_GRACE) > 0)) {
                    killed = true;
                    signalGroup(proc, "KILL");
                }
                long ms = System.nanoTime() / 1_000_000;
                if (ms - lastTick >= 100) {
                    listener.tick(state);
                    lastTick = ms;
                }
                proc.waitFor(50, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupted = true;
            signalGroup(proc, "KILL");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        try {
            pump.join(5000);
            proc.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (AnsibleEvent e : reader.poll()) {
            state.apply(e);
            listener.event(e, state);
        }
        reader.close();
        // Children left behind in the group (a module mid-way) must not outlive the run.
        signalGroup(proc, "KILL");
        awaitGroupGone(proc.pid(), Duration.ofSeconds(10));
        int rc = proc.isAlive() ? -1 : proc.exitValue();
        List<String> tailCopy;
        synchronized (tail) {
            tailCopy = List.copyOf(tail);
        }
        // Interrupted from outside (a SIGINT to the group): ansible says so, or dies mid-way.
        if (rc == PlaybookResult.ANSIBLE_INTERRUPTED || rc == 130 || !state.ended() && tailCopy.stream().anyMatch(
                l -> l.contains("User interrupted execution") || l.startsWith("KeyboardInterrupt"))) {
            interrupted = true;
        }
        return new PlaybookResult(rc, state, runDir, interrupted, Duration.between(start, Instant.now()), tailCopy,
                Map.copyOf(details));
    }

    Map<String, String> ansibleEnv(Path events) {
        Map<String, String> e = new HashMap<>(env);
        Path cfg = ansibleDir.resolve("ansible.cfg");
        if (Files.isRegularFile(cfg) && !e.containsKey("ANSIBLE_CONFIG")) {
            e.put("ANSIBLE_CONFIG", cfg.toString());
        }
        if (!Files.isRegularFile(cfg) || !cfg.toString().equals(e.get("ANSIBLE_CONFIG"))) {
            // No Kubani ansible.cfg in charge: enable the callback through the environment.
            String plugins = ansibleDir.resolve("callback_plugins").toString();
            e.merge("ANSIBLE_CALLBACK_PLUGINS", plugins, (old, add) -> add + File.pathSeparator + old);
            e.merge("ANSIBLE_CALLBACKS_ENABLED", "kubani_events", (old, add) -> add + "," + old);
        }
        e.put("KUBANI_EVENTS", events.toString());
        e.put("ANSIBLE_NOCOLOR", "1");
        e.put("ANSIBLE_FORCE_COLOR", "0");
        e.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
        e.put("PYTHONUNBUFFERED", "1");
        e.remove("ANSIBLE_STDOUT_CALLBACK");
        return e;
    }

    private static final java.util.regex.Pattern FATAL = java.util.regex.Pattern.compile(
            "^fatal: \\[([^\\]]+)\\]: (?:FAILED|UNREACHABLE)! => (\\{.*\\})\\s*$");

    /**
     * ansible's own "fatal: [host]: FAILED! => {...}" line carries module_stderr, which the
     * event callback leaves out for "MODULE FAILURE" (where the real cause, such as "sudo: a
     * password is required", is). Keep the first line of it per host.
     */
    static void detail(String line, Map<String, String> details) {
        java.util.regex.Matcher m = FATAL.matcher(line);
        if (!m.matches()) {
            return;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.group(2));
            String err = n.path("module_stderr").asText("").strip();
            if (err.isEmpty()) {
                err = n.path("stderr").asText("").strip();
            }
            if (!err.isEmpty() && !n.path("censored").isTextual()) {
                String first = err.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse(err);
                details.put(m.group(1), first.length() > 300 ? first.substring(0, 297) + "..." : first);
            }
        } catch (IOException | RuntimeException e) {
            // not JSON after all
        }
    }

    private static void pump(Process proc, Path stdout, Deque<String> tail, Map<String, String> details,
                             Listener listener) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
             Writer w = Files.newBufferedWriter(stdout, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            Files.setPosixFilePermissions(stdout, PosixFilePermissions.fromString("rw-------"));
            String line;
            while ((line = r.readLine()) != null) {
                w.write(line);
                w.write('\n');
                w.flush();
                detail(line, details);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                listener.rawLine(line);
            }
        } catch (IOException e) {
            // the process ended or the disk is full; the events still tell the story
        }
    }

    /** Sends a signal to ansible-playbook's own process. */
    static void signalProcess(Process proc, String signal) {
        try {
            Process k = new ProcessBuilder("kill", "-s", signal, String.valueOf(proc.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            proc.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until no live process is left in the group (a SIGKILL takes effect asynchronously,
     * and on a loaded machine it can take a moment); zombies awaiting their parent count as gone.
     */
    static void awaitGroupGone(long pgid, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && hasLiveMembers(pgid)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean hasLiveMembers(long pgid) {
        try (var s = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[2]) == pgid && !f[0].equals("Z") && !f[0].equals("X")) {
                        return true;
                    }
                } catch (IOException | RuntimeException e) {
                    // the process is gone meanwhile
                }
            }
        } catch (IOException e) {
            return false; // no /proc: nothing to wait for
        }
        return false;
    }

    /** Sends a signal to ansible's process group (its pid, as the session leader). */
    static void signalGroup(Process proc, String signal) {
        long pid = proc.pid();
        try {
            Process k = new ProcessBuilder("kill", "-s", signal, "--", "-" + pid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            if (signal.equals("KILL") || signal.equals("TERM")) {
                proc.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** Reads complete lines appended to the events file since the last poll. */
    static final class EventTail implements AutoCloseable {
        private final Path file;
        private FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private int malformed;

        EventTail(Path file) {
            this.file = file;
        }

        List<AnsibleEvent> poll() {
            List<AnsibleEvent> out = new ArrayList<>();
            try {
                if (ch == null) {
                    if (!Files.exists(file)) {
                        return out;
                    }
                    ch = FileChannel.open(file, StandardOpenOption.READ);
                }
                while (true) {
                    buf.clear();
                    int n = ch.read(buf);
                    if (n <= 0) {
                        break;
                    }
                    byte[] b = buf.array();
                    for (int i = 0; i < n; i++) {
                        if (b[i] == '\n') {
                            String line = partial.toString(StandardCharsets.UTF_8);
                            partial.reset();
                            AnsibleEvent e = AnsibleEvent.parse(line);
                            if (e != null) {
                                out.add(e);
                            } else if (!line.isBlank()) {
                                malformed++;
                            }
                        } else {
                            partial.write(b[i]);
                        }
                    }
                }
            } catch (IOException e) {
                // try again on the next poll
            }
            return out;
        }

        int malformed() {
            return malformed;
        }

        @Override
        public void close() {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }
}
