package dev.kubani.kube;

/**
 * A pod as the dashboard and {@code status --pods} show it, kept small: at 150,000 pods the
 * full objects would not fit in the memory budget. Strings that repeat (namespaces, node
 * names, phases, label keys and values) are interned by the decoder.
 *
 * @param status   kubectl's STATUS: a container's waiting/terminated reason, Terminating, or the phase
 * @param created  creation time, epoch seconds
 * @param labels   label keys and values, alternating (k0, v0, k1, v1 ...)
 */
public record PodRow(String namespace, String name, int ready, int containers, String status, int restarts,
                     String node, long created, String[] labels) {

    /**
     * By namespace, then name (how {@code status --pods} lists pods). Namespaces are shared
     * instances, so equal ones are told apart without comparing characters.
     */
    public static final java.util.Comparator<PodRow> BY_NAMESPACE_NAME = (a, b) -> {
        if (a.namespace != b.namespace) {
            int c = a.namespace.compareTo(b.namespace);
            if (c != 0) {
                return c;
            }
        }
        return a.name.compareTo(b.name);
    };

    public String key() {
        return namespace + "/" + name;
    }

    public String readyText() {
        return ready + "/" + containers;
    }

    /** Running with every container ready. */
    public boolean healthy() {
        return ready == containers && "Running".equals(status);
    }

    /** Finished pods (Succeeded, Failed) do not count as a service's desired pods. */
    public boolean finished() {
        return "Succeeded".equals(status) || "Completed".equals(status) || "Failed".equals(status);
    }

    public String label(String key) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (labels[i].equals(key)) {
                return labels[i + 1];
            }
        }
        return null;
    }
}
