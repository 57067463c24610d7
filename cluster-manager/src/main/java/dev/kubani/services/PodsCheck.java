package dev.kubani.services;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code verify pods}: readiness per service namespace. A namespace passes when it has pods and
 * every running pod is Ready; otherwise the row names each pod that is not, with its reason and
 * its last event.
 */
public final class PodsCheck {
    /** The namespaces of the services the GitOps tree deploys, with what runs there. */
    public static final Map<String, String> SERVICE_NAMESPACES = Map.of(
            "database", "postgresql", "cache", "redis", "auth", "authentik");
    public static final List<String> DEFAULT_NAMESPACES = List.of("database", "cache", "auth");

    private final KubernetesClient client;

    public PodsCheck(KubernetesClient client) {
        this.client = client;
    }

    public List<CheckResult> run(List<String> namespaces) {
        List<CheckResult> out = new ArrayList<>();
        for (String ns : namespaces) {
            out.add(namespace("pods", ns));
        }
        return out;
    }

    /** One row for the pods of {@code ns}; API failures propagate to the caller. */
    public CheckResult namespace(String check, String ns) {
        long start = System.nanoTime();
        String target = "namespace " + ns;
        List<Pod> pods = client.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> !"Succeeded".equals(phase(p)))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        String what = SERVICE_NAMESPACES.getOrDefault(ns, ns);
        if (pods.isEmpty()) {
            return CheckResult.fail(check, target, "no pods in namespace " + ns, Steps.elapsed(start),
                    "is " + what + " deployed? 'flux get helmreleases -A' and 'flux get kustomizations' show why not");
        }
        List<String> problems = new ArrayList<>();
        List<Event> events = null;
        for (Pod p : pods) {
            if (ready(p)) {
                continue;
            }
            if (events == null) {
                events = client.v1().events().inNamespace(ns).list().getItems();
            }
            String last = lastEvent(events, p.getMetadata().getName());
            problems.add(p.getMetadata().getName() + " not ready: " + reason(p) + (last == null ? "" : "; last event: " + last));
        }
        int ready = pods.size() - problems.size();
        String counts = ready + "/" + pods.size() + " pods ready";
        if (problems.isEmpty()) {
            return CheckResult.ok(check, target, counts, Steps.elapsed(start));
        }
        return CheckResult.fail(check, target, counts + "; " + String.join("; ", problems), Steps.elapsed(start),
                "kubectl describe pod -n " + ns + " NAME and kubectl logs -n " + ns + " NAME for the pods named");
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    static boolean ready(Pod p) {
        if (p.getMetadata().getDeletionTimestamp() != null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        return p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Why a pod is not ready, as kubectl would show it. */
    static String reason(Pod p) {
        if (p.getMetadata().getDeletionTimestamp() != null) {
            return "terminating";
        }
        var st = p.getStatus();
        if (st == null) {
            return "no status yet";
        }
        if ("Failed".equals(st.getPhase())) {
            return "failed" + (st.getReason() == null ? "" : ": " + st.getReason())
                    + (st.getMessage() == null ? "" : " (" + st.getMessage() + ")");
        }
        if (st.getConditions() != null) {
            for (PodCondition c : st.getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return "not scheduled: " + Objects.requireNonNullElse(c.getReason(), "")
                            + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
                }
            }
        }
        List<ContainerStatus> all = new ArrayList<>();
        if (st.getInitContainerStatuses() != null) {
            all.addAll(st.getInitContainerStatuses());
        }
        if (st.getContainerStatuses() != null) {
            all.addAll(st.getContainerStatuses());
        }
        for (ContainerStatus cs : all) {
            if (Boolean.TRUE.equals(cs.getReady()) || cs.getState() == null) {
                continue;
            }
            boolean init = st.getInitContainerStatuses() != null && st.getInitContainerStatuses().contains(cs);
            if (init && cs.getState().getTerminated() != null && Integer.valueOf(0).equals(cs.getState().getTerminated().getExitCode())) {
                continue;
            }
            String who = (init ? "init container " : "container ") + cs.getName();
            String restarts = cs.getRestartCount() != null && cs.getRestartCount() > 0 ? ", " + cs.getRestartCount() + " restarts" : "";
            if (cs.getState().getWaiting() != null) {
                var w = cs.getState().getWaiting();
                return who + " waiting: " + Objects.requireNonNullElse(w.getReason(), "unknown")
                        + (w.getMessage() == null ? "" : " (" + Errors.firstLine(w.getMessage()) + ")") + restarts;
            }
            if (cs.getState().getTerminated() != null) {
                var t = cs.getState().getTerminated();
                return who + " terminated: " + Objects.requireNonNullElse(t.getReason(), "exit code " + t.getExitCode()) + restarts;
            }
            if (cs.getState().getRunning() != null) {
                return who + " running but not ready (readiness probe failing)" + restarts;
            }
        }
        return "phase " + Objects.requireNonNullElse(st.getPhase(), "unknown");
    }

    /** The newest event about the pod: "Warning BackOff: message". */
    static String lastEvent(List<Event> events, String pod) {
        return events.stream()
                .filter(e -> e.getInvolvedObject() != null && "Pod".equals(e.getInvolvedObject().getKind())
                        && pod.equals(e.getInvolvedObject().getName()))
                .max(Comparator.comparing(PodsCheck::eventTime))
                .map(e -> Objects.requireNonNullElse(e.getType(), "Normal") + " " + Objects.requireNonNullElse(e.getReason(), "")
                        + ": " + Errors.firstLine(Objects.requireNonNullElse(e.getMessage(), "")))
                .orElse(null);
    }

    private static String eventTime(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        if (e.getFirstTimestamp() != null) {
            return e.getFirstTimestamp();
        }
        return Objects.requireNonNullElse(e.getMetadata().getCreationTimestamp(), "");
    }
}
