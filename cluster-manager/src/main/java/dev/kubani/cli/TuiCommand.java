package dev.kubani.cli;

import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.kube.ClusterCache;
import dev.kubani.kube.KubeApi;
import dev.kubani.kube.KubeConnect;
import dev.kubani.tui.DashboardApp;
import dev.kubani.tui.dao.ClusterSource;
import dev.kubani.tui.dao.LiveSource;
import dev.kubani.tui.dao.SampleSource;
import dev.kubani.tui.model.ClusterModel;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cluster-mgr tui} and {@code cluster-tui}: the live dashboard. */
@Command(name = "tui", description = {"Live cluster dashboard: nodes, services, events and pods, updated as they change.",
    "Keys: q quit, r refresh, ? help, arrows/PgUp/PgDn/Home/End move, Tab panel, Enter details, Esc back,",
    "/ filter, s sort, : view (nodes, services, pods, events), c/u cordon/uncordon."})
public final class TuiCommand extends BaseCommand {

    @Option(names = "--refresh", paramLabel = "SECONDS",
            description = "Redraw changes at least this often (default: refresh in config.toml, else 5).")
    Integer refresh;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Time limit of each API request (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--demo", description = "Show the built-in SAMPLE cluster (no cluster needed).")
    boolean demo;

    @Override
    protected int execute() throws Exception {
        int seconds = refresh != null ? refresh : root().prefs().refreshSeconds().orElse(5);
        if (seconds < 1 || seconds > 3600) {
            throw KubaniException.invalidInput("--refresh " + seconds + ": use a whole number of seconds from 1 to 3600");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw KubaniException.invalidInput("--timeout " + timeoutSeconds + ": use a whole number of seconds from 1 to 600");
        }
        if (!root().env().tty()) {
            throw KubaniException.invalidInput("cluster-tui needs a terminal (stdout is not one); in scripts use "
                    + "'cluster-mgr status' (add -o json for machine-readable output)");
        }
        ClusterSource source = demo ? new SampleSource() : live();
        DashboardApp.run(new ClusterModel(source, Duration.ofSeconds(seconds)));
        return ExitCode.OK;
    }

    private ClusterSource live() {
        String clusterName = null;
        Path inv = root().inventoryPath();
        if (Files.exists(inv) || root().inventory != null) {
            clusterName = Inventory.load(inv).clusterConfig().clusterName();
        }
        KubeConnect.Target target = KubeConnect.target(root().env().vars(), clusterName);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        KubernetesClient client = KubeConnect.client(target, timeout);
        ClusterCache cache = new ClusterCache(new KubeApi(client, timeout), target,
                clusterName == null ? target.context() : clusterName, 500, 15_000).start();
        return new LiveSource(cache);
    }
}
