package dev.kubani.provision;

import dev.kubani.ansible.Failure;
import dev.kubani.ansible.FailureReport;
import dev.kubani.ansible.PlaybookResult;
import dev.kubani.ansible.RunArtifacts;
import dev.kubani.ansible.RunState;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Node;
import dev.kubani.inventory.Role;
import dev.kubani.k0s.K0sctl;
import dev.kubani.k0s.K0sctlConfig;
import dev.kubani.util.AtomicFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@code k0sctl apply} of a cluster file rendered from the inventory, on an operation's
 * progress display: the run directory ({@code ansible/artifacts/<UTC time>/}, 0700) gets the
 * file ({@code k0sctl.yaml}, 0600, atomic), {@code command} and {@code stdout} (k0sctl's output,
 * secrets masked, 0600); k0sctl's phases drive the same view as a playbook run; a stop request
 * goes to k0sctl (SIGINT, SIGTERM, SIGKILL); a failure gets its report (host, phase, message,
 * hint) and an interruption the list of hosts that may be half done. The caller decides what
 * the outcome means for its operation (provision fails; remove-node keeps the inventory).
 * Shared by provision ({@link K0sctlApplyPhase}) and remove-node ({@link K0sctlResetNodePhase}).
 */
final class K0sctlApplyRun {
    /** Name of the rendered cluster file in the run directory. */
    static final String CONFIG_FILE = "k0sctl.yaml";

    /**
     * What to apply and how.
     *
     * @param doc         the k0sctl.yaml document ({@link K0sctlConfig})
     * @param header      comment lines at the top of the written file
     * @param args        k0sctl's arguments after {@code --config FILE}
     * @param inventory   the inventory the file was rendered from (names, failure hints)
     * @param scope       the inventory hosts the run concerns, for the interruption report
     * @param play        what the display calls the run ("k0sctl apply: CLUSTER")
     * @param rerun       the interruption report's last line: what running again does
     * @param lines       also gets every (masked) line of k0sctl's output; may be null
     * @param operation   the cluster-mgr command, for the hints ("provision", "remove-node")
     */
    record Request(Path artifactsRoot, int keepRuns, Map<String, Object> doc, String header, List<String> args,
                   Path k0sctl, Map<String, String> env, Inventory inventory, List<String> scope, String play,
                   boolean dryRun, String rerun, Consumer<String> lines, String operation) {
    }

    /** How the apply ended; {@code result.interrupted()} and {@code result.ok()} say which way. */
    record Outcome(K0sctl.Result result, PlaybookResult playbookResult, Path runDir, Path config, Path log,
                   String phase) {
    }

    private K0sctlApplyRun() {
    }

    /** Runs the apply; a failed or stopped k0sctl is an outcome, not an exception. */
    static Outcome run(PhaseContext ctx, Request q) throws Exception {
        Path runDir = RunArtifacts.create(q.artifactsRoot(), q.keepRuns(), Instant.now());
        Path file = runDir.resolve(CONFIG_FILE);
        AtomicFile.write(file, K0sctlConfig.toYaml(q.doc(), q.header()), AtomicFile.PRIVATE);
        K0sctl k0sctl = k0sctl(q.k0sctl(), q.env(), runDir);
        String display = k0sctl.display(file, q.args());
        AtomicFile.write(runDir.resolve("command"), "cd " + runDir + "\n" + display + "\n", AtomicFile.PRIVATE);
        Map<String, String> names = namesByAddress(q.inventory());
        Path log = runDir.resolve("stdout");
        Instant start = Instant.now();
        K0sctl.Result r;
        K0sctlProgress progress;
        try (K0sctlProgress p = new K0sctlProgress(ctx.console().progress(), log, names, q.dryRun(), q.play())) {
            progress = p;
            p.start(runDir, display);
            K0sctl.Listener listener = q.lines() == null ? p : new K0sctl.Listener() {
                @Override
                public void line(String line) {
                    p.line(line);
                    q.lines().accept(line);
                }

                @Override
                public void phase(String title) {
                    p.phase(title);
                }

                @Override
                public void tick() {
                    p.tick();
                }

                @Override
                public void stopping() {
                    p.stopping();
                }
            };
            r = k0sctl.apply(file, q.args(), names, listener, ctx.cancellation()::level);
            p.finish(r);
        }
        RunState state = progress.state();
        ctx.console().finishProgress(state);
        PlaybookResult pr = new PlaybookResult(r.exitCode(), state, runDir, r.interrupted(),
                Duration.between(start, Instant.now()), progress.tail(), Map.of());
        if (r.interrupted()) {
            for (String line : interruptReport(progress, q.scope(), q.rerun())) {
                ctx.console().warn(line);
            }
        } else if (!r.ok()) {
            report(ctx, q.inventory(), state, r, log, q.operation());
        }
        return new Outcome(r, pr, runDir, file, log, progress.phase());
    }

    /** The k0sctl runner: the user's environment, without k0sctl's upgrade check and telemetry (unless set). */
    static K0sctl k0sctl(Path executable, Map<String, String> userEnv, Path workDir) {
        Map<String, String> env = new HashMap<>(userEnv);
        env.putIfAbsent("DISABLE_UPGRADE_CHECK", "true");
        env.putIfAbsent("DISABLE_TELEMETRY", "true");
        return new K0sctl(executable, env, workDir);
    }

    /** k0sctl's log level from -vv (--debug) and -vvv (--trace). */
    static void logLevel(int verbosity, List<String> args) {
        if (verbosity >= 3) {
            args.add("--trace");
        } else if (verbosity == 2) {
            args.add("--debug");
        }
    }

    /** Tailscale IP (k0sctl's SSH address) to inventory name. */
    static Map<String, String> namesByAddress(Inventory inv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Node n : inv.nodes()) {
            m.put(n.tailscaleIp(), n.hostname());
        }
        return m;
    }

    private static void report(PhaseContext ctx, Inventory inv, RunState state, K0sctl.Result r, Path log,
                               String operation) {
        ctx.console().failure("Failures:");
        if (state.failures().isEmpty()) {
            // k0sctl failed without naming a host (a config or validation error): the phase is what there is
            String msg = r.describe();
            if (ctx.console().json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event", "failure");
                m.put("step", r.failure().phase());
                m.put("msg", r.failure().message());
                m.put("kind", "other");
                m.put("hint", "read the run log " + log);
                ctx.console().json(m);
            } else {
                ctx.console().failure("  " + msg);
                ctx.console().info("  hint: read the run log " + log + "; run again with -vv for k0sctl's debug output");
            }
            return;
        }
        Map<String, Role> roles = new HashMap<>();
        for (Node n : inv.nodes()) {
            roles.put(n.hostname(), n.role());
        }
        for (Failure f : state.failures()) {
            Inventory.Host h = inv.host(f.host());
            Map<String, Object> vars = new LinkedHashMap<>(h == null ? Map.of() : inv.effectiveVars(f.host()));
            FailureReport.Hint hint = K0sctlApplyPhase.hint(f, vars, roles.get(f.host()), log, operation);
            if (ctx.console().json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event", "failure");
                m.put("host", f.host());
                m.put("step", f.step());
                m.put("msg", f.message());
                m.put("unreachable", f.unreachable());
                m.put("kind", hint.kind().name().toLowerCase(Locale.ROOT));
                m.put("hint", hint.text());
                ctx.console().json(m);
            } else {
                List<String> text = FailureReport.lines(f, hint, null);
                ctx.console().failure("  " + text.get(0));
                for (String l : text.subList(1, text.size())) {
                    ctx.console().info("  " + l);
                }
            }
        }
    }

    static List<String> interruptReport(K0sctlProgress p, List<String> scope, String rerun) {
        List<String> out = new ArrayList<>();
        out.add("k0sctl was stopped" + (p.phase() == null ? " before its first phase" : " during phase '" + p.phase() + "'")
                + ".");
        if (!p.inPhase().isEmpty()) {
            out.add("in the middle of that phase, so possibly half-configured: " + String.join(", ", p.inPhase()));
        }
        List<String> untouched = new ArrayList<>();
        for (String h : scope) {
            if (!p.state().hosts().containsKey(h) && !p.inPhase().contains(h)) {
                untouched.add(h);
            }
        }
        if (!untouched.isEmpty()) {
            out.add("not reached in this run: " + String.join(", ", untouched));
        }
        out.add(rerun);
        return out;
    }
}
