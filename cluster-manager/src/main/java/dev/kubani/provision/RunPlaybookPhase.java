package dev.kubani.provision;

import dev.kubani.ansible.Failure;
import dev.kubani.ansible.FailureReport;
import dev.kubani.ansible.Journal;
import dev.kubani.ansible.PlaybookRequest;
import dev.kubani.ansible.PlaybookResult;
import dev.kubani.ansible.PlaybookRunner;
import dev.kubani.ansible.RunState;
import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Phase 3: ansible-playbook with live progress. A failed host gets a report (node, step,
 * message, hint, and for the k3s service the last journal lines); the run then fails with exit
 * code 1 after the summary shows every host. Ctrl-C stops ansible and says what state the
 * nodes may be in.
 */
public final class RunPlaybookPhase implements Phase {
    /** Name of the fetched kubeconfig in the run directory (the role writes it there). */
    public static final String FETCHED_KUBECONFIG = "kubeconfig";

    @Override
    public String title() {
        return "Run " + "ansible-playbook";
    }

    @Override
    public void run(PhaseContext ctx) throws Exception {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        ProvisionOptions o = run.options();
        PlaybookRunner runner = new PlaybookRunner(o.ansibleDir(), run.artifactsRoot(), run.env(), run.keepRuns());
        run.runDir = runner.newRunDir();
        PlaybookRequest req = new PlaybookRequest(o.effectivePlaybook(), o.inventory(), o.limit(), o.tags(), o.skipTags(),
                o.extraVars(), o.check(), o.check(), o.verbosity());
        // The role fetches the kubeconfig into the run directory; the next phase merges it.
        Map<String, Object> kc = new LinkedHashMap<>();
        kc.put("kubeconfig_local_path", run.runDir.resolve(FETCHED_KUBECONFIG).toString());
        req = req.withExtraVar(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(kc));
        PlaybookResult result = runner.run(run.runDir, req, ctx.console().progress(), ctx.cancellation()::level);
        ctx.console().finishProgress(result.state());
        run.result = result;
        Path log = result.runDir().resolve("stdout");
        if (result.interrupted()) {
            for (String line : interruptReport(result.state(), run.scope())) {
                ctx.console().warn(line);
            }
            throw new Cancelled("interrupted: ansible-playbook was stopped" + (result.state().task() == null ? ""
                    : " during '" + step(result.state()) + "'") + "; log: " + log);
        }
        if (result.setupError()) {
            String err = result.errorLine();
            int code = result.ansibleExit() == PlaybookResult.ANSIBLE_PARSER_ERROR
                    || result.ansibleExit() == PlaybookResult.ANSIBLE_BAD_OPTIONS ? ExitCode.INVALID_INPUT : ExitCode.FAILED;
            throw new KubaniException(code, "ansible-playbook stopped before running any task (exit "
                    + result.ansibleExit() + "): " + (err == null ? "no message" : err) + "; log: " + log);
        }
        if (result.state().events() == 0) {
            ctx.console().warn("no progress events came from ansible: check that ansible.cfg enables the kubani_events "
                    + "callback (callbacks_enabled = kubani_events); log: " + log);
        }
        if (!result.state().failures().isEmpty()) {
            List<Failure> failures = new ArrayList<>();
            for (Failure f : result.state().failures()) {
                failures.add(result.explained(f));
            }
            report(ctx, run, failures);
            throw KubaniException.failed(failedSummary(result.state()) + "; log: " + log);
        }
        if (result.ansibleExit() != 0) {
            String err = result.errorLine();
            throw KubaniException.failed("ansible-playbook exited with " + result.ansibleExit()
                    + (err == null ? "" : ": " + err) + "; log: " + log);
        }
    }

    /** The fetched kubeconfig holds credentials: never leave it in the run directory. */
    @Override
    public void cleanUp(PhaseContext ctx) throws Exception {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        if (run.runDir != null) {
            java.nio.file.Files.deleteIfExists(run.runDir.resolve(FETCHED_KUBECONFIG));
        }
    }

    static String step(RunState s) {
        return s.role() == null ? s.task() : s.role() + " : " + s.task();
    }

    /** "2 of 3 hosts failed: w1 at 'role : task', w2 unreachable". */
    static String failedSummary(RunState s) {
        List<String> parts = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Failure f : s.failures()) {
            if (seen.add(f.host())) {
                parts.add(f.host() + (f.unreachable() ? " unreachable at '" : " failed at '") + f.step() + "'");
            }
        }
        return seen.size() + " of " + s.hosts().size() + " host" + (s.hosts().size() == 1 ? "" : "s") + " failed: "
                + String.join(", ", parts);
    }

    private static void report(PhaseContext ctx, ProvisionRun run, List<Failure> failures) {
        Journal journal = new Journal(run.options().ansibleDir(), run.env());
        ctx.console().failure("Failures:");
        for (Failure f : failures) {
            Inventory.Host h = run.inventory().host(f.host());
            Map<String, Object> vars = new LinkedHashMap<>(h == null ? Map.of() : h.vars());
            Role r = run.roles.get(f.host());
            if (r != null) {
                vars.put("_kubani_role", r.label());
            }
            FailureReport.Hint hint = FailureReport.hint(f, vars);
            List<String> lines = null;
            if (hint.kind() == FailureReport.Kind.K3S_SERVICE) {
                lines = journal.last(run.options().inventory(), f.host(), FailureReport.unit(f, vars));
            }
            if (ctx.console().json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event", "failure");
                m.put("host", f.host());
                m.put("role", f.role());
                m.put("task", f.task());
                m.put("step", f.step());
                m.put("msg", f.message());
                m.put("unreachable", f.unreachable());
                m.put("kind", hint.kind().name().toLowerCase(java.util.Locale.ROOT));
                m.put("hint", hint.text());
                if (lines != null) {
                    m.put("journal", lines);
                }
                ctx.console().json(m);
            } else {
                List<String> text = FailureReport.lines(f, hint, lines);
                ctx.console().failure("  " + text.get(0));
                for (String l : text.subList(1, text.size())) {
                    ctx.console().info("  " + l);
                }
            }
        }
    }

    /** What state the nodes may be in after a stop. */
    static List<String> interruptReport(RunState s, List<String> scope) {
        List<String> out = new ArrayList<>();
        String step = s.task() == null ? null : step(s);
        List<String> mid = s.inFlight();
        List<String> done = new ArrayList<>();
        List<String> untouched = new ArrayList<>();
        for (String h : scope) {
            RunState.HostProgress hp = s.hosts().get(h);
            if (hp == null) {
                untouched.add(h);
            } else if (!mid.contains(h)) {
                done.add(h + " (" + hp.result() + ")");
            }
        }
        out.add("ansible was stopped" + (step == null ? " before its first task" : " during '" + step + "'") + ".");
        if (!mid.isEmpty()) {
            out.add("in the middle of that step, so possibly half-configured: " + String.join(", ", mid));
        } else if (step != null) {
            out.add("hosts running '" + step + "' when it stopped may be half-configured");
        }
        if (!done.isEmpty()) {
            out.add("had finished their last step: " + String.join(", ", done));
        }
        if (!untouched.isEmpty()) {
            out.add("not touched in this run: " + String.join(", ", untouched));
        }
        out.add("running the same command again is safe: the playbooks are idempotent and finish the job");
        return out;
    }
}
