package dev.kubani.provision;

import dev.kubani.ansible.RunState;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Table;
import dev.kubani.cli.Term;
import dev.kubani.inventory.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Phase 6 (always runs): per node its role, result, changed tasks and duration; in check mode
 * also what would change on each host.
 */
public final class SummaryPhase implements Phase {
    @Override
    public String title() {
        return "Summary";
    }

    @Override
    public boolean shouldRun(PhaseContext ctx) {
        return ctx.get(ProvisionRun.class).inventory() != null;
    }

    @Override
    public void run(PhaseContext ctx) {
        ProvisionRun run = ctx.get(ProvisionRun.class);
        boolean check = run.options().check();
        RunState state = run.result() == null ? null : run.result().state();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String node : run.scope()) {
            RunState.HostProgress hp = state == null ? null : state.hosts().get(node);
            Role role = run.roles.get(node);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", node);
            m.put("role", role == null ? "-" : role.label());
            String result = hp == null ? "not run" : hp.result();
            if (check && hp != null && !hp.isBad()) {
                result = hp.changed() > 0 ? "would change" : "no change";
            }
            if (run.result() != null && run.result().interrupted() && state.inFlight().contains(node)) {
                result = "interrupted";
            }
            String ready = run.readiness().get(node);
            m.put("result", result);
            m.put("changed", hp == null ? 0 : hp.changed());
            m.put("durationSeconds", hp == null ? 0.0 : hp.duration().toMillis() / 1000.0);
            if (ready != null) {
                m.put("ready", ready);
            }
            if (check) {
                m.put("wouldChange", hp == null ? List.of() : hp.changedSteps());
            }
            rows.add(m);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cluster", run.config().clusterName());
        summary.put("check", check);
        summary.put("nodes", rows);
        if (run.result() != null) {
            summary.put(run.k0s() ? "k0sctlExit" : "ansibleExit", run.result().ansibleExit());
            if (run.k0sctlConfig() != null) {
                summary.put("k0sctlConfig", run.k0sctlConfig().toString());
            }
            summary.put("log", run.result().runDir().resolve("stdout").toString());
        }
        if (run.kubeconfigNote != null) {
            summary.put("kubeconfig", run.kubeconfigNote);
        }
        summary.put("elapsedSeconds", Duration.between(run.started(), Instant.now()).toMillis() / 1000.0);
        Console c = ctx.console();
        if (c.json()) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("event", "summary");
            ev.putAll(summary);
            c.json(ev);
            return;
        }
        Term t = c.term();
        if (check) {
            for (Map<String, Object> m : rows) {
                @SuppressWarnings("unchecked")
                List<String> steps = (List<String>) m.get("wouldChange");
                c.info("  " + t.bold(String.valueOf(m.get("node"))) + ": " + (steps.isEmpty() ? "no changes"
                        : steps.size() + " change" + (steps.size() == 1 ? "" : "s")));
                for (String s : steps) {
                    c.info("    " + t.yellow("~ ") + s);
                }
            }
        }
        Table table = new Table("NODE", "ROLE", "RESULT", "CHANGED", "DURATION");
        for (Map<String, Object> m : rows) {
            String result = String.valueOf(m.get("result"));
            String shown = switch (result) {
                case "failed", "unreachable", "interrupted" -> t.red(result);
                case "changed", "would change" -> t.yellow(result);
                case "ok", "no change" -> t.green(result);
                default -> result;
            };
            if (m.containsKey("ready")) {
                String ready = String.valueOf(m.get("ready"));
                int sp = ready.indexOf(" (");
                shown = shown + ", " + (sp > 0 ? ready.substring(0, sp) : ready);
            }
            table.row(m.get("node"), m.get("role"), shown, m.get("changed"),
                    duration((Double) m.get("durationSeconds")));
        }
        if (c.mode() == Console.Mode.PLAIN && c.out() != t.out()) {
            // --output yaml: progress went to stderr; the document goes to stdout.
            t.out().println(Printer.yaml(summary).stripTrailing());
            t.out().flush();
            return;
        }
        table.print(c.out(), t);
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(java.util.Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        return (s / 60) + "m" + String.format(java.util.Locale.ROOT, "%02d", s % 60) + "s";
    }
}
