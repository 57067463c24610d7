package dev.kubani.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code dns apply} will do: for each wanted host name, create it, update it or leave it,
 * given the A records the zone has. Pure, so it is tested without any server.
 */
public final class DnsPlan {
    public enum Action { CREATE, UPDATE, UNCHANGED }

    /** One host name: what exists, what is wanted, and the action that gets there. */
    public record Change(String name, String ip, Action action, CloudflareClient.Record existing, List<CloudflareClient.Record> others) {
        public String current() {
            return existing == null ? null : existing.content() + (existing.proxied() ? " (proxied)" : "");
        }
    }

    private DnsPlan() {
    }

    /** The service host names the GitOps tree routes under {@code domain}. */
    public static List<String> hostNames(String domain) {
        return List.of("postgres." + domain, "redis." + domain, "auth." + domain);
    }

    public static List<Change> plan(List<String> names, String ip, List<CloudflareClient.Record> existing) {
        List<Change> out = new ArrayList<>();
        for (String name : names) {
            List<CloudflareClient.Record> same = existing.stream()
                    .filter(r -> "A".equals(r.type()) && r.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                    .toList();
            if (same.isEmpty()) {
                out.add(new Change(name, ip, Action.CREATE, null, List.of()));
                continue;
            }
            CloudflareClient.Record keep = same.stream().filter(r -> r.content().equals(ip) && !r.proxied()).findFirst().orElse(null);
            if (keep != null) {
                out.add(new Change(name, ip, Action.UNCHANGED, keep, others(same, keep)));
            } else {
                CloudflareClient.Record first = same.get(0);
                out.add(new Change(name, ip, Action.UPDATE, first, others(same, first)));
            }
        }
        return out;
    }

    private static List<CloudflareClient.Record> others(List<CloudflareClient.Record> all, CloudflareClient.Record chosen) {
        return all.stream().filter(r -> r != chosen).toList();
    }
}
