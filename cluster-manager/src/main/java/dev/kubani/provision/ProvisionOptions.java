package dev.kubani.provision;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one provision (or plan, or add-node --provision) run was asked to do, already
 * checked: a playbook given exists, extra vars parse. {@code playbook} is null when none was
 * given: K3s then runs site.yml ({@link #effectivePlaybook()}); k0s runs no playbook.
 */
public record ProvisionOptions(Path home, Path inventory, Path playbook, String limit, String tags, String skipTags,
                               List<String> extraVars, boolean check, int verbosity, boolean switchContext,
                               boolean waitReady, Duration readyTimeout, Path statusFile, boolean allowNonTailscale) {

    public ProvisionOptions {
        extraVars = extraVars == null ? List.of() : List.copyOf(extraVars);
    }

    /** The playbook given, else ansible/playbooks/site.yml; exit 2 when that is missing from the checkout. */
    public Path effectivePlaybook() {
        if (playbook != null) {
            return playbook;
        }
        Path site = ansibleDir().resolve("playbooks").resolve("site.yml");
        if (!java.nio.file.Files.isRegularFile(site)) {
            throw dev.kubani.core.KubaniException.invalidInput("--playbook: no playbook 'site.yml' in " + site.getParent()
                    + "; give one with --playbook NAME|PATH, or restore the checkout ('git checkout -- ansible/playbooks')");
        }
        return site;
    }

    /** The ansible-only flags that were given, as typed ("--limit", ...), for refusing them on k0s. */
    public List<String> ansibleOnlyFlags() {
        List<String> out = new java.util.ArrayList<>();
        if (playbook != null) {
            out.add("--playbook");
        }
        if (limit != null && !limit.isBlank()) {
            out.add("--limit");
        }
        if (tags != null && !tags.isBlank()) {
            out.add("--tags");
        }
        if (skipTags != null && !skipTags.isBlank()) {
            out.add("--skip-tags");
        }
        if (!extraVars.isEmpty()) {
            out.add("--extra-vars");
        }
        return out;
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
