package dev.kubani.cluster;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Drains a node the way kubectl drain does (cordon, then evict every pod through the Eviction
 * API so PodDisruptionBudgets are honoured, skipping DaemonSet and mirror pods), with a
 * timeout, and says exactly which pods would not evict and why: the PodDisruptionBudget that
 * blocks them (and how many disruptions it allows), no controller behind them, or still
 * terminating.
 */
public final class Drainer {
    /** A pod that did not leave the node. */
    public record Stuck(String namespace, String name, String reason) {
        @Override
        public String toString() {
            return namespace + "/" + name + ": " + reason;
        }
    }

    /** The outcome: evicted pods, pods left alone (DaemonSets, mirror pods), stuck pods. */
    public record Report(boolean nodeFound, List<String> evicted, List<String> ignored, List<Stuck> stuck) {
        public boolean drained() {
            return stuck.isEmpty();
        }
    }

    private final KubernetesClient client;
    private final Duration retry;

    public Drainer(KubernetesClient client) {
        this(client, Duration.ofSeconds(5));
    }

    public Drainer(KubernetesClient client, Duration retry) {
        this.client = client;
        this.retry = retry;
    }

    /** Marks the node unschedulable; false when there is no such node. */
    public boolean cordon(String node, boolean unschedulable) {
        if (client.nodes().withName(node).get() == null) {
            return false;
        }
        client.nodes().withName(node).edit(n -> new NodeBuilder(n).editOrNewSpec().withUnschedulable(unschedulable)
                .endSpec().build());
        return true;
    }

    /**
     * The pods scheduled on {@code node}, filtered on this side: fabric8's mock server (our
     * stand-in for K3s's API server in tests) does not apply the spec.nodeName field selector,
     * and a node removal is rare enough that one full pod list is cheap.
     */
    public List<Pod> podsOn(String node) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
            if (p.getSpec() != null && node.equals(p.getSpec().getNodeName())) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Cordons and drains {@code node}. Pods without a controller are evicted only with
     * {@code force} (otherwise they would be lost and are reported as stuck).
     */
    public Report drain(String node, Duration timeout, boolean force, Consumer<String> progress, BooleanSupplier stop)
            throws InterruptedException {
        if (!cordon(node, true)) {
            return new Report(false, List.of(), List.of(), List.of());
        }
        progress.accept("cordoned " + node);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> evicted = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Map<String, Pod> pending = new LinkedHashMap<>();
        Map<String, Pod> leaving = new LinkedHashMap<>();
        Map<String, String> why = new LinkedHashMap<>();
        List<Stuck> stuck = new ArrayList<>();
        for (Pod p : podsOn(node)) {
            String id = id(p);
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if (isDaemonSet(p)) {
                ignored.add(id + " (DaemonSet)");
            } else if (p.getMetadata().getAnnotations() != null
                    && p.getMetadata().getAnnotations().containsKey("kubernetes.io/config.mirror")) {
                ignored.add(id + " (static pod)");
            } else if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                ignored.add(id + " (finished)");
            } else if (controller(p) == null && !force) {
                stuck.add(new Stuck(ns(p), name(p), "no controller (Deployment, StatefulSet, Job...) would recreate it, "
                        + "so evicting it would lose it; delete it yourself or pass --force"));
            } else {
                pending.put(id, p);
            }
        }
        while (true) {
            for (var it = pending.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                Pod p = e.getValue();
                if (evict(p)) {
                    progress.accept("evicting " + e.getKey());
                    leaving.put(e.getKey(), p);
                    why.remove(e.getKey());
                    it.remove();
                } else {
                    why.put(e.getKey(), blocker(p));
                }
            }
            for (var it = leaving.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                if (gone(e.getValue())) {
                    evicted.add(e.getKey());
                    it.remove();
                }
            }
            if (pending.isEmpty() && leaving.isEmpty()) {
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || stop.getAsBoolean()) {
                break;
            }
            Thread.sleep(Math.max(1, Math.min(retry.toMillis(), left / 1_000_000)));
        }
        for (var e : pending.entrySet()) {
            stuck.add(new Stuck(ns(e.getValue()), name(e.getValue()), why.getOrDefault(e.getKey(), "eviction refused")));
        }
        for (var e : leaving.values()) {
            stuck.add(new Stuck(ns(e), name(e), "evicted but still terminating (grace period not over)"));
        }
        return new Report(true, evicted, ignored, stuck);
    }

    /** True when the API accepted the eviction (or the pod is already gone); false on 429 (a budget says no). */
    boolean evict(Pod p) {
        try {
            return client.pods().inNamespace(ns(p)).withName(name(p)).evict();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                // gone already, or an eviction for it is already under way
                return true;
            }
            throw e;
        }
    }

    private boolean gone(Pod p) {
        Pod now = client.pods().inNamespace(ns(p)).withName(name(p)).get();
        return now == null || !Objects.equals(now.getMetadata().getUid(), p.getMetadata().getUid());
    }

    /** Why an eviction is refused: the PodDisruptionBudget that covers the pod and allows no disruption. */
    String blocker(Pod p) {
        List<String> budgets = new ArrayList<>();
        for (PodDisruptionBudget b : client.policy().v1().podDisruptionBudget().inNamespace(ns(p)).list().getItems()) {
            if (b.getSpec() == null || !matches(b.getSpec().getSelector(), p.getMetadata().getLabels())) {
                continue;
            }
            int allowed = b.getStatus() == null || b.getStatus().getDisruptionsAllowed() == null ? 0
                    : b.getStatus().getDisruptionsAllowed();
            String rule = b.getSpec().getMinAvailable() != null ? "minAvailable " + b.getSpec().getMinAvailable().getValue()
                    : b.getSpec().getMaxUnavailable() != null ? "maxUnavailable " + b.getSpec().getMaxUnavailable().getValue() : "";
            budgets.add("PodDisruptionBudget " + ns(p) + "/" + b.getMetadata().getName() + " (" + rule
                    + (rule.isEmpty() ? "" : ", ") + allowed + " disruption" + (allowed == 1 ? "" : "s") + " allowed now)");
        }
        if (budgets.isEmpty()) {
            return "the API refused the eviction (429) without a matching PodDisruptionBudget";
        }
        return "blocked by " + String.join(" and ", budgets) + "; scale the workload up or relax the budget";
    }

    static boolean matches(LabelSelector sel, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (sel == null) {
            return false;
        }
        if (sel.getMatchLabels() != null) {
            for (var e : sel.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (sel.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : sel.getMatchExpressions()) {
                String v = l.get(r.getKey());
                List<String> vals = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator()) {
                    case "In" -> v != null && vals.contains(v);
                    case "NotIn" -> v == null || !vals.contains(v);
                    case "Exists" -> l.containsKey(r.getKey());
                    case "DoesNotExist" -> !l.containsKey(r.getKey());
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isDaemonSet(Pod p) {
        OwnerReference c = controller(p);
        return c != null && "DaemonSet".equals(c.getKind());
    }

    private static OwnerReference controller(Pod p) {
        if (p.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference o : p.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(o.getController())) {
                return o;
            }
        }
        return null;
    }

    private static String ns(Pod p) {
        return p.getMetadata().getNamespace() == null ? "default" : p.getMetadata().getNamespace();
    }

    private static String name(Pod p) {
        return p.getMetadata().getName();
    }

    private static String id(Pod p) {
        return ns(p) + "/" + name(p);
    }
}
