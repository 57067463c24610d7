package dev.kubani.lab;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's health checks, read through the exported kubeconfig:
 * <ul>
 *   <li>the API answers;</li>
 *   <li>every planned node that runs workloads is registered and Ready;</li>
 *   <li>every planned controller holds its k0s controller lease (k0s-ctrl-NAME in
 *       kube-node-lease): plain k0s controllers run no kubelet, so they are no Node objects;</li>
 *   <li>the kube-system pods are running.</li>
 * </ul>
 * Any failed check fails the whole lab (seed 003: a partial cluster is a failed cluster).
 */
public final class LabHealth {
    public static final String LEASE_NAMESPACE = "kube-node-lease";

    /** One row of the pass/fail table. */
    public record Check(String name, boolean ok, String detail) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", name);
            m.put("result", ok ? "pass" : "fail");
            m.put("detail", detail);
            return m;
        }
    }

    private final KubernetesClient client;

    public LabHealth(KubernetesClient client) {
        this.client = client;
    }

    public List<Check> check(LabPlan plan, Instant now) {
        List<Check> out = new ArrayList<>();
        String version;
        try {
            var v = client.getKubernetesVersion();
            version = v == null ? "(version unknown)" : v.getGitVersion() != null ? v.getGitVersion()
                    : v.getMajor() != null ? "v" + v.getMajor() + "." + v.getMinor() : "(version unknown)";
        } catch (KubernetesClientException e) {
            out.add(new Check("API answers", false, "no answer from " + client.getMasterUrl() + ": " + firstLine(e.getMessage())));
            return out;
        }
        out.add(new Check("API answers", true, "Kubernetes " + version + " at " + client.getMasterUrl()));
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Node n : client.nodes().list().getItems()) {
            nodes.put(n.getMetadata().getName(), n);
        }
        for (LabNode planned : plan.nodes()) {
            if (!planned.runsWorkloads()) {
                continue;
            }
            Node n = nodes.get(planned.name());
            if (n == null) {
                out.add(new Check("node " + planned.name(), false, "not registered (" + planned.k0sRole() + " at " + planned.ip()
                        + "): check 'vagrant ssh " + planned.name() + " -c \"sudo k0s status\"'"));
                continue;
            }
            NodeCondition ready = condition(n, "Ready");
            if (ready != null && "True".equals(ready.getStatus())) {
                out.add(new Check("node " + planned.name(), true, "Ready"));
            } else {
                String why = ready == null ? "no Ready condition yet"
                        : "NotReady" + (ready.getReason() == null ? "" : " (" + ready.getReason() + ")")
                                + (ready.getMessage() == null ? "" : ": " + firstLine(ready.getMessage()));
                out.add(new Check("node " + planned.name(), false, why));
            }
        }
        Map<String, Lease> leases = new LinkedHashMap<>();
        for (Lease l : client.leases().inNamespace(LEASE_NAMESPACE).list().getItems()) {
            leases.put(l.getMetadata().getName(), l);
        }
        for (LabNode c : plan.controllers()) {
            Lease l = leases.get("k0s-ctrl-" + c.name());
            String name = "controller " + c.name();
            if (l == null || l.getSpec() == null || l.getSpec().getHolderIdentity() == null
                    || l.getSpec().getHolderIdentity().isBlank()) {
                out.add(new Check(name, false, "holds no controller lease (k0s-ctrl-" + c.name() + " in " + LEASE_NAMESPACE
                        + "): its k0s controller is not running"));
            } else if (expired(l, now)) {
                out.add(new Check(name, false, "controller lease expired (last renewed " + l.getSpec().getRenewTime() + ")"));
            } else {
                out.add(new Check(name, true, "controller lease held"));
            }
        }
        List<Pod> pods = client.pods().inNamespace("kube-system").list().getItems();
        List<String> bad = new ArrayList<>();
        int running = 0;
        for (Pod p : pods) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if ("Running".equals(phase) || "Succeeded".equals(phase)) {
                running++;
            } else {
                bad.add(p.getMetadata().getName() + " (" + (phase == null ? "no status" : phase) + ")");
            }
        }
        if (pods.isEmpty()) {
            out.add(new Check("kube-system pods", false, "none yet: the system components have not started"));
        } else if (bad.isEmpty()) {
            out.add(new Check("kube-system pods", true, running + " running"));
        } else {
            out.add(new Check("kube-system pods", false, bad.size() + " of " + pods.size() + " not running: "
                    + String.join(", ", bad.subList(0, Math.min(5, bad.size()))) + (bad.size() > 5 ? ", ..." : "")));
        }
        return out;
    }

    private static NodeCondition condition(Node n, String type) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) {
            return null;
        }
        return n.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static boolean expired(Lease l, Instant now) {
        ZonedDateTime renew = l.getSpec().getRenewTime();
        Integer secs = l.getSpec().getLeaseDurationSeconds();
        if (renew == null || secs == null) {
            return false;
        }
        return renew.toInstant().plusSeconds(secs).isBefore(now);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
