package dev.kubani.kube;

import java.util.List;
import java.util.Map;

/** A service: what the services panel shows, plus its selector to count its pods. */
public record ServiceRow(String namespace, String name, String type, String clusterIp, Map<String, String> selector,
                         List<String> ports, long created, String loadBalancerIp) {

    public ServiceRow {
        selector = selector == null ? Map.of() : Map.copyOf(selector);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** True when every selector label matches the pod (a service without a selector matches none). */
    public boolean selects(PodRow p) {
        if (selector.isEmpty() || !namespace.equals(p.namespace())) {
            return false;
        }
        for (var e : selector.entrySet()) {
            if (!e.getValue().equals(p.label(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
