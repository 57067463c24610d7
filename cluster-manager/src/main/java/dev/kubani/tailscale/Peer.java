package dev.kubani.tailscale;

import java.util.List;

/**
 * One machine of the tailnet as tailscaled reports it. Every field may be missing in some
 * client version; strings are then null and lists empty.
 */
public record Peer(String id, String hostName, String dnsName, String os, List<String> tailscaleIps,
                   List<String> tags, boolean online, String lastSeen, boolean self) {

    public Peer {
        tailscaleIps = tailscaleIps == null ? List.of() : List.copyOf(tailscaleIps);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The first IPv4 address, or null. */
    public String ipv4() {
        for (String ip : tailscaleIps) {
            if (ip.indexOf(':') < 0) {
                return ip;
            }
        }
        return null;
    }

    /** The first IPv6 address, or null. */
    public String ipv6() {
        for (String ip : tailscaleIps) {
            if (ip.indexOf(':') >= 0) {
                return ip;
            }
        }
        return null;
    }

    /** The short machine name: HostName, else the first label of the MagicDNS name. */
    public String name() {
        if (dnsName != null && !dnsName.isBlank()) {
            int dot = dnsName.indexOf('.');
            String first = dot < 0 ? dnsName : dnsName.substring(0, dot);
            if (!first.isEmpty()) {
                return first;
            }
        }
        return hostName == null ? "" : hostName;
    }
}
