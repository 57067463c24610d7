package dev.kubani.provision;

import dev.kubani.ansible.RunArtifacts;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.kube.KubeConnect;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** State of one remove-node run, shared by its phases (kept in the {@link PhaseContext}). */
public final class NodeRemoval implements AutoCloseable {
    final String node;
    final String clusterName;
    final Path home;
    final Path inventory;
    final Map<String, String> env;
    final boolean drain;
    final boolean force;
    final Duration drainTimeout;
    final int verbosity;
    /** What went wrong on the cluster side and was passed over because of --force. */
    final List<String> forced = new ArrayList<>();
    boolean drained;
    boolean deleted;
    boolean uninstalled;
    boolean inventoryEdited;
    /** k8s_distribution: k0s: k0sctl drops the Node, leaves etcd and resets k0s (see {@link K0sctlResetNodePhase}). */
    private boolean k0s;
    Inventory inv;
    Path k0sctl;
    Map<String, Object> k0sctlDoc;
    /** The run directory, cluster file and exit code of the k0sctl apply (k0s only). */
    Path runDir;
    Path k0sctlConfig;
    Integer k0sctlExit;
    private KubeConnect.Target target;
    private KubernetesClient client;
    private boolean apiDown;

    public NodeRemoval(String node, String clusterName, Path home, Path inventory, Map<String, String> env, boolean drain,
                       boolean force, Duration drainTimeout, int verbosity) {
        this.node = node;
        this.clusterName = clusterName;
        this.home = home;
        this.inventory = inventory;
        this.env = env;
        this.drain = drain;
        this.force = force;
        this.drainTimeout = drainTimeout;
        this.verbosity = verbosity;
    }

    /**
     * Removes the node the k0s way: {@code k0sctl apply} of {@code doc} (the inventory's
     * k0sctl.yaml with the node marked {@code reset: true}) with the k0sctl at {@code k0sctl}.
     */
    public NodeRemoval k0s(Inventory inv, Path k0sctl, Map<String, Object> doc) {
        this.k0s = true;
        this.inv = inv;
        this.k0sctl = k0sctl;
        this.k0sctlDoc = doc;
        return this;
    }

    public boolean isK0s() {
        return k0s;
    }

    /** The drain was wanted but the API could not be reached (and --force let the removal go on). */
    boolean apiDown() {
        return apiDown;
    }

    /** The API client, or null when the API cannot be reached and --force lets us go on without it. */
    KubernetesClient client(PhaseContext ctx) {
        if (client != null || apiDown) {
            return client;
        }
        try {
            target = KubeConnect.target(env, clusterName);
            KubernetesClient c = KubeConnect.client(target, KubeConnect.DEFAULT_TIMEOUT);
            c.nodes().withName(node).get();
            client = c;
            return client;
        } catch (KubaniException e) {
            return unreachable(ctx, e);
        } catch (RuntimeException e) {
            return unreachable(ctx, KubeConnect.explain(e, target));
        }
    }

    private KubernetesClient unreachable(PhaseContext ctx, KubaniException e) {
        if (!force) {
            throw new KubaniException(e.exitCode(), e.getMessage() + "; the inventory was not changed (pass --force to "
                    + "remove " + node + " from it anyway)");
        }
        apiDown = true;
        forced.add("the Kubernetes API was not reachable: " + e.getMessage());
        ctx.console().warn("--force: going on without the Kubernetes API (" + e.getMessage() + ")");
        return null;
    }

    KubaniException explain(RuntimeException e) {
        return KubeConnect.explain(e, target);
    }

    Path artifactsRoot() {
        String a = env.get("KUBANI_ARTIFACTS");
        return a != null && !a.isBlank() ? Path.of(a) : home.resolve("ansible").resolve("artifacts");
    }

    int keepRuns() {
        String k = env.get("KUBANI_ARTIFACTS_KEEP");
        try {
            return k == null ? RunArtifacts.DEFAULT_KEEP : Math.max(1, Integer.parseInt(k.strip()));
        } catch (NumberFormatException e) {
            return RunArtifacts.DEFAULT_KEEP;
        }
    }

    public boolean drained() {
        return drained;
    }

    public boolean deleted() {
        return deleted;
    }

    public boolean uninstalled() {
        return uninstalled;
    }

    /** The cluster file k0sctl applied (k0s only), or null. */
    public Path k0sctlConfig() {
        return k0sctlConfig;
    }

    /** k0sctl's exit code (k0s only; null when it did not run). */
    public Integer k0sctlExit() {
        return k0sctlExit;
    }

    /** The run directory of the k0sctl apply (k0s only), or null. */
    public Path runDir() {
        return runDir;
    }

    public List<String> forced() {
        return forced;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
