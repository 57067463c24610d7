package dev.kubani.tailscale;

import java.util.ArrayList;
import java.util.List;

/** The state of the local tailscaled and the machines it knows. */
public record TailnetStatus(String version, String backendState, String magicDnsSuffix, Peer self, List<Peer> peers) {

    public TailnetStatus {
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    /** Self first, then the peers. */
    public List<Peer> machines() {
        List<Peer> all = new ArrayList<>(peers.size() + 1);
        if (self != null) {
            all.add(self);
        }
        all.addAll(peers);
        return all;
    }
}
