package dev.kubani.dns;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Traefik's LoadBalancer address: Service {@code traefik} in kube-system,
 * status.loadBalancer.ingress. K3s's ServiceLB reports every node's address there; the one on
 * the tailnet (100.64.0.0/10) is preferred, as the service names must work over Tailscale.
 */
public final class TraefikAddress {
    public static final String NAMESPACE = "kube-system";
    public static final String SERVICE = "traefik";

    /** What was found: the chosen IPv4 address and every address reported. */
    public record Found(String ip, List<String> all) {
    }

    private TraefikAddress() {
    }

    /** Null when the Service does not exist; {@code ip} null when it has no IPv4 address yet. */
    public static Found find(KubernetesClient client) {
        Service svc = client.services().inNamespace(NAMESPACE).withName(SERVICE).get();
        if (svc == null) {
            return null;
        }
        List<String> all = new ArrayList<>();
        if (svc.getStatus() != null && svc.getStatus().getLoadBalancer() != null
                && svc.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress i : svc.getStatus().getLoadBalancer().getIngress()) {
                if (i.getIp() != null && !i.getIp().isBlank()) {
                    all.add(i.getIp());
                }
            }
        }
        String ip = all.stream().filter(TraefikAddress::isIpv4)
                .min(Comparator.comparing((String a) -> isTailscale(a) ? 0 : 1))
                .orElse(null);
        return new Found(ip, all);
    }

    public static boolean isIpv4(String a) {
        return a.matches("\\d{1,3}(\\.\\d{1,3}){3}") && java.util.Arrays.stream(a.split("\\.")).allMatch(p -> Integer.parseInt(p) <= 255);
    }

    /** 100.64.0.0/10, Tailscale's CGNAT range. */
    public static boolean isTailscale(String a) {
        if (!isIpv4(a)) {
            return false;
        }
        try {
            byte[] b = InetAddress.getByName(a).getAddress();
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
