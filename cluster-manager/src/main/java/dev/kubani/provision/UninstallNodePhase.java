package dev.kubani.provision;

import dev.kubani.ansible.Failure;
import dev.kubani.ansible.FailureReport;
import dev.kubani.ansible.PlaybookRequest;
import dev.kubani.ansible.PlaybookResult;
import dev.kubani.ansible.PlaybookRunner;
import dev.kubani.core.KubaniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** remove-node step 3: remove_node.yml for the host (uninstalls K3s there). */
public final class UninstallNodePhase implements Phase {
    @Override
    public String title() {
        return "Uninstall K3s on the host (remove_node.yml)";
    }

    @Override
    public void run(PhaseContext ctx) throws Exception {
        NodeRemoval r = ctx.get(NodeRemoval.class);
        Path playbook = r.home.resolve("ansible/playbooks/remove_node.yml");
        if (!Files.isRegularFile(playbook)) {
            throw KubaniException.unexpectedState("the playbook " + playbook + " is missing from the Kubani checkout; "
                    + "restore it ('git checkout -- ansible/playbooks') and run again");
        }
        String nodeVar = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("node", r.node));
        PlaybookRequest req = new PlaybookRequest(playbook, r.inventory, r.node, null, null, List.of(nodeVar), false,
                false, r.verbosity);
        PlaybookRunner runner = new PlaybookRunner(r.home.resolve("ansible"), r.artifactsRoot(), r.env, r.keepRuns());
        PlaybookResult res = runner.run(req, ctx.console().progress(), ctx.cancellation()::level);
        ctx.console().finishProgress(res.state());
        if (res.interrupted()) {
            throw new Cancelled("interrupted while uninstalling on " + r.node + "; the Node is "
                    + (r.deleted ? "already deleted" : "still there") + " and the inventory was not changed; run "
                    + "remove-node again to finish");
        }
        if (res.ok()) {
            r.uninstalled = true;
            return;
        }
        String why = res.state().failures().isEmpty() ? "ansible-playbook exited with " + res.ansibleExit()
                + (res.errorLine() == null ? "" : ": " + res.errorLine()) : "";
        for (Failure f0 : res.state().failures()) {
            Failure f = res.explained(f0);
            FailureReport.Hint h = FailureReport.hint(f, Map.of());
            List<String> lines = FailureReport.lines(f, h, null);
            ctx.console().failure("  " + lines.get(0));
            ctx.console().info("  " + lines.get(1));
            if (why.isEmpty()) {
                why = lines.get(0);
            }
        }
        String what = "K3s could not be uninstalled on " + r.node + " (" + why + "); log: "
                + res.runDir().resolve("stdout");
        if (!r.force) {
            throw KubaniException.failed(what + "; the inventory was not changed: run remove-node again when the host "
                    + "is reachable, or pass --force to drop it from the inventory anyway");
        }
        r.forced.add(what);
        ctx.console().warn("--force: " + what);
    }
}
