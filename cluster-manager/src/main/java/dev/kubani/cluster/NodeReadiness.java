package dev.kubani.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Waits until named nodes report Ready (Property 10): an operation that adds or provisions
 * nodes is successful only once each of them has the condition Ready=True.
 */
public final class NodeReadiness {
    public static final String READY = "Ready";
    public static final String NOT_REGISTERED = "not registered";

    private final KubernetesClient client;
    private final Duration poll;

    public NodeReadiness(KubernetesClient client) {
        this(client, Duration.ofSeconds(2));
    }

    public NodeReadiness(KubernetesClient client, Duration poll) {
        this.client = client;
        this.poll = poll;
    }

    /** "Ready", "NotReady (reason: message)", "Unknown (...)" or "not registered" for a missing node. */
    public static String state(Node n) {
        if (n == null) {
            return NOT_REGISTERED;
        }
        if (n.getStatus() != null && n.getStatus().getConditions() != null) {
            for (NodeCondition c : n.getStatus().getConditions()) {
                if ("Ready".equals(c.getType())) {
                    if ("True".equals(c.getStatus())) {
                        return READY;
                    }
                    String why = c.getReason() == null ? "" : c.getReason();
                    if (c.getMessage() != null && !c.getMessage().isBlank()) {
                        why = why.isEmpty() ? c.getMessage() : why + ": " + c.getMessage();
                    }
                    String head = "False".equals(c.getStatus()) ? "NotReady" : "Unknown";
                    return why.isEmpty() ? head : head + " (" + why + ")";
                }
            }
        }
        return "Unknown (no Ready condition yet)";
    }

    /** The current state of each named node. */
    public Map<String, String> states(Collection<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, state(client.nodes().withName(n).get()));
        }
        return out;
    }

    /**
     * Polls until every named node is Ready or {@code timeout} passes; {@code onChange} hears
     * each node whose state changed (and every node once at the start). Returns the last states.
     */
    public Map<String, String> await(Collection<String> names, Duration timeout, BiConsumer<String, String> onChange)
            throws InterruptedException {
        return await(names, timeout, onChange, () -> false);
    }

    /** As above; stops early (returning the states so far) when {@code stop} says so. */
    public Map<String, String> await(Collection<String> names, Duration timeout, BiConsumer<String, String> onChange,
                                     java.util.function.BooleanSupplier stop) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> last = new LinkedHashMap<>();
        while (true) {
            Map<String, String> now = new LinkedHashMap<>();
            for (String n : names) {
                String prev = last.get(n);
                String s = READY.equals(prev) ? READY : state(client.nodes().withName(n).get());
                now.put(n, s);
                if (!s.equals(prev)) {
                    onChange.accept(n, s);
                }
            }
            last = now;
            if (allReady(now)) {
                return now;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || stop.getAsBoolean()) {
                return now;
            }
            Thread.sleep(Math.max(1, Math.min(poll.toMillis(), left / 1_000_000)));
        }
    }

    public static boolean allReady(Map<String, String> states) {
        return states.values().stream().allMatch(READY::equals);
    }
}
