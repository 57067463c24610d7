package dev.kubani.cli.provision;

import dev.kubani.cli.ClusterMgr;
import dev.kubani.cli.OutputFormat;
import dev.kubani.cli.Term;
import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.provision.Cancellation;
import dev.kubani.provision.CheckTailnetPhase;
import dev.kubani.provision.Console;
import dev.kubani.provision.K0sctlApplyPhase;
import dev.kubani.provision.MergeKubeconfigPhase;
import dev.kubani.provision.PhaseContext;
import dev.kubani.provision.PhaseManager;
import dev.kubani.provision.ProvisionOptions;
import dev.kubani.provision.ProvisionRun;
import dev.kubani.provision.RunPlaybookPhase;
import dev.kubani.provision.SummaryPhase;
import dev.kubani.provision.ValidateInventoryPhase;
import dev.kubani.provision.WaitReadyPhase;

/** The provision action: assembles the phases and runs them (used by provision, plan and add-node --provision). */
public final class Provisioning {
    private Provisioning() {
    }

    /** The console for the root's output settings. */
    public static Console console(ClusterMgr root) {
        Term t = root.term();
        OutputFormat f = root.outputFormat();
        int width = 100;
        String cols = root.env().var("COLUMNS");
        if (cols != null && cols.matches("\\d{2,4}")) {
            width = Integer.parseInt(cols);
        }
        if (f == OutputFormat.JSON) {
            return new Console(t, Console.Mode.JSON, t.out(), root.verbosity(), width);
        }
        if (f == OutputFormat.YAML) {
            return new Console(t, Console.Mode.PLAIN, t.err(), root.verbosity(), width);
        }
        boolean live = t.interactive() && root.verbosity() < 2 && !"dumb".equals(root.env().var("TERM"));
        return new Console(t, live ? Console.Mode.LIVE : Console.Mode.PLAIN, t.out(), root.verbosity(), width);
    }

    /** The phases of provision with the K3s playbooks, in order. */
    public static PhaseManager phases() {
        return phases(false);
    }

    /** The phases of provision, in order; for k0s, k0sctl apply runs where the playbook would. */
    public static PhaseManager phases(boolean k0s) {
        return new PhaseManager()
                .add(new ValidateInventoryPhase())
                .add(new CheckTailnetPhase())
                .add(k0s ? new K0sctlApplyPhase() : new RunPlaybookPhase())
                .add(new MergeKubeconfigPhase())
                .add(new WaitReadyPhase())
                .addFinally(new SummaryPhase());
    }

    /** Runs provision with Ctrl-C routed to a clean stop; returns the exit code (errors are thrown). */
    public static int run(ClusterMgr root, ProvisionOptions o) throws Exception {
        Console console = console(root);
        Cancellation cancel = new Cancellation();
        boolean k0s = ValidateInventoryPhase.isK0s(o.inventory());
        ProvisionRun run = new ProvisionRun(o, root.env().vars(), k0s);
        PhaseContext ctx = new PhaseContext(console, o.check(), cancel);
        ctx.put(ProvisionRun.class, run);
        try (AutoCloseable sig = cancel.onInterrupt()) {
            phases(k0s).run(ctx);
        } catch (KubaniException e) {
            throw e;
        }
        return ExitCode.OK;
    }
}
