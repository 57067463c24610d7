package dev.kubani.cli.lab;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Table;
import dev.kubani.cli.Term;
import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.kube.KubeConnect;
import dev.kubani.lab.LabHealth;
import dev.kubani.lab.LabPaths;
import dev.kubani.lab.LabPlan;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cluster-mgr lab health}: pass/fail table of the lab cluster, through lab/kubeconfig (task cluster:health). */
@Command(name = "health", description = {"Check the lab cluster through lab/kubeconfig (task cluster:health): the API answers, "
        + "every planned node is registered and Ready, every controller runs, kube-system pods run.",
    "Prints a pass/fail table; exits 1 when any check fails."})
public final class LabHealthCommand extends BaseCommand {
    @Mixin
    LabOptions lab;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up on an API request after this many seconds (default 10).")
    int timeoutSeconds;

    @Override
    protected int execute() {
        LabPlan plan = lab.plan(root());
        LabPaths paths = lab.paths(root());
        if (timeoutSeconds < 1) {
            throw KubaniException.invalidInput("--timeout " + timeoutSeconds + ": must be at least 1 second");
        }
        if (!Files.isRegularFile(paths.kubeconfig())) {
            throw KubaniException.unexpectedState(paths.kubeconfig() + " does not exist: export it with 'cluster-mgr lab kubeconfig'");
        }
        KubeConnect.Target target = new KubeConnect.Target(paths.kubeconfig(), LabKubeconfigCommand.CONTEXT, null);
        List<LabHealth.Check> checks;
        try (KubernetesClient client = KubeConnect.client(target, Duration.ofSeconds(timeoutSeconds))) {
            checks = new ArrayList<>(new LabHealth(client).check(plan, Instant.now()));
        } catch (KubernetesClientException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            checks = new ArrayList<>(List.of(new LabHealth.Check("API answers", false, "request failed: " + msg)));
        }
        long failed = checks.stream().filter(c -> !c.ok()).count();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("healthy", failed == 0);
        List<Object> rows = new ArrayList<>();
        checks.forEach(c -> rows.add(c.toMap()));
        data.put("checks", rows);
        if (!Printer.structured(root(), data)) {
            Term t = term();
            Table table = new Table("CHECK", "RESULT", "DETAIL");
            for (LabHealth.Check c : checks) {
                table.row(c.name(), c.ok() ? t.green("pass") : t.red("FAIL"), c.detail());
            }
            table.print(t.out(), t);
            if (failed == 0) {
                t.info(t.green("✓ ") + "lab healthy: " + checks.size() + " checks passed");
            }
        }
        if (failed > 0) {
            term().error("lab unhealthy: " + failed + " of " + checks.size() + " checks failed; " + LabSupport.REBUILD);
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }
}
