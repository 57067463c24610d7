package dev.kubani.provision;

import dev.kubani.ansible.PlaybookResult;
import dev.kubani.inventory.ClusterConfig;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Role;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The state a provision run builds up as its phases go (kept in the {@link PhaseContext}). */
public final class ProvisionRun {
    private final ProvisionOptions options;
    private final Map<String, String> env;
    private final Instant started = Instant.now();
    Inventory inventory;
    ClusterConfig config;
    /** Inventory nodes in scope (after --limit), in inventory order. */
    final List<String> scope = new ArrayList<>();
    final Map<String, Role> roles = new LinkedHashMap<>();
    Path runDir;
    PlaybookResult result;
    /** Node name to its readiness ("Ready", "NotReady: ...", "not registered"). */
    final Map<String, String> readiness = new LinkedHashMap<>();
    String kubeconfigNote;
    /** k8s_distribution is k0s: k0sctl applies the cluster instead of the K3s playbooks. */
    boolean k0s;
    /** The k0sctl program (k0s only). */
    Path k0sctl;
    /** The k0sctl.yaml rendered from the inventory (k0s only); the run directory holds it. */
    Map<String, Object> k0sctlDoc;
    Path k0sctlConfig;

    public ProvisionRun(ProvisionOptions options, Map<String, String> env) {
        this(options, env, false);
    }

    /** @param k0s the phases were assembled for k8s_distribution: k0s (validation checks the inventory still says so) */
    public ProvisionRun(ProvisionOptions options, Map<String, String> env, boolean k0s) {
        this.options = options;
        this.env = env;
        this.k0s = k0s;
    }

    public ProvisionOptions options() {
        return options;
    }

    public Map<String, String> env() {
        return env;
    }

    public Instant started() {
        return started;
    }

    public Inventory inventory() {
        return inventory;
    }

    public ClusterConfig config() {
        return config;
    }

    public List<String> scope() {
        return scope;
    }

    public PlaybookResult result() {
        return result;
    }

    public boolean k0s() {
        return k0s;
    }

    /** The k0sctl.yaml this run applied (k0s only), or null. */
    public Path k0sctlConfig() {
        return k0sctlConfig;
    }

    /** The Kubernetes distribution's name for messages: "K3s" or "k0s". */
    public String distributionName() {
        return k0s ? "k0s" : "K3s";
    }

    public Map<String, String> readiness() {
        return readiness;
    }

    public Path artifactsRoot() {
        String a = env.get("KUBANI_ARTIFACTS");
        return a != null && !a.isBlank() ? Path.of(a) : options.ansibleDir().resolve("artifacts");
    }

    public int keepRuns() {
        String k = env.get("KUBANI_ARTIFACTS_KEEP");
        try {
            return k == null ? dev.kubani.ansible.RunArtifacts.DEFAULT_KEEP : Math.max(1, Integer.parseInt(k.strip()));
        } catch (NumberFormatException e) {
            return dev.kubani.ansible.RunArtifacts.DEFAULT_KEEP;
        }
    }
}
