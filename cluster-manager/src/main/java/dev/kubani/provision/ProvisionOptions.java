package dev.kubani.provision;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one provision (or plan, or add-node --provision) run was asked to do, already
 * checked: the playbook exists, extra vars parse.
 */
public record ProvisionOptions(Path home, Path inventory, Path playbook, String limit, String tags, String skipTags,
                               List<String> extraVars, boolean check, int verbosity, boolean switchContext,
                               boolean waitReady, Duration readyTimeout, Path statusFile, boolean allowNonTailscale) {

    public ProvisionOptions {
        extraVars = extraVars == null ? List.of() : List.copyOf(extraVars);
    }

    public Path ansibleDir() {
        return home.resolve("ansible");
    }

    /** Tags that install or join K3s: only then are nodes expected to become Ready in this run. */
    public boolean touchesK3s() {
        if (tags == null || tags.isBlank()) {
            return true;
        }
        for (String t : tags.split(",")) {
            String s = t.strip();
            if (s.equals("all") || s.startsWith("k3s")) {
                return true;
            }
        }
        return false;
    }
}
