package dev.kubani.provision;

import dev.kubani.ansible.RunArtifacts;
import dev.kubani.core.KubaniException;
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
