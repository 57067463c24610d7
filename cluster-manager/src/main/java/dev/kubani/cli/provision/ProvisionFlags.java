package dev.kubani.cli.provision;

import dev.kubani.ansible.ExtraVars;
import dev.kubani.core.KubaniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The flags provision and plan share (seed 002 "Cluster Operations"). */
public final class ProvisionFlags {
    @Option(names = "--playbook", paramLabel = "PLAYBOOK",
            description = "Playbook to run: a name under ansible/playbooks/ (site.yml, add_node.yml, ...) or a path "
                    + "(default: site.yml). K3s only.")
    public String playbook;

    @Option(names = "--tags", paramLabel = "TAGS", description = "Only tasks with these tags, e.g. \"k3s,gpu\". K3s only.")
    public String tags;

    @Option(names = "--skip-tags", paramLabel = "TAGS", description = "Skip tasks with these tags, e.g. \"gpu,monitoring\". K3s only.")
    public String skipTags;

    @Option(names = "--limit", paramLabel = "PATTERN", description = "Only these hosts (an Ansible host pattern, e.g. "
            + "\"gpu-node\", \"workers\", \"all:!desktop\"). K3s only: k0sctl applies every node.")
    public String limit;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Extra variables: JSON ('{\"k3s_version\":\"v1.28.5+k3s1\"}'), key=value pairs or @FILE. Repeatable. K3s only.")
    public List<String> extraVars = new ArrayList<>();

    @Option(names = "--status-file", paramLabel = "FILE",
            description = "Saved 'tailscale status --json' to check the tailnet against (default: ask tailscaled).")
    public Path statusFile;

    @Option(names = "--allow-non-tailscale", description = "Accept node IPs outside the tailnet ranges.")
    public boolean allowNonTailscale;

    /** The playbook given with --playbook (see {@link #resolvePlaybook}), or null when the flag is absent. */
    public Path givenPlaybook(Path home, Path cwd) {
        return playbook == null ? null : resolvePlaybook(home, cwd, "site.yml");
    }

    /** The playbook file: a path as given, or a name under ansible/playbooks/. */
    public Path resolvePlaybook(Path home, Path cwd, String dflt) {
        String p = playbook == null || playbook.isBlank() ? dflt : playbook.strip();
        Path given = cwd.resolve(p);
        Path bundled = home.resolve("ansible").resolve("playbooks").resolve(p);
        Path chosen = p.contains("/") && Files.isRegularFile(given) ? given
                : Files.isRegularFile(bundled) ? bundled : Files.isRegularFile(given) ? given : null;
        if (chosen == null) {
            throw KubaniException.invalidInput("--playbook: no playbook '" + p + "' in " + bundled.getParent()
                    + " or at " + given + "; use one of site.yml, provision_cluster.yml, add_node.yml, update_cluster.yml, "
                    + "remove_node.yml, reset.yml, upgrade.yml, backup.yml, or a path to a playbook file");
        }
        return chosen.toAbsolutePath().normalize();
    }

    public List<String> checkedExtraVars(Path cwd) {
        List<String> out = new ArrayList<>();
        for (String e : extraVars) {
            out.add(ExtraVars.check(e, cwd));
        }
        return out;
    }

    /** "300s", "5m", "1h", or a bare number of seconds. */
    public static Duration duration(String s, String flag) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            if (v.matches("\\d+(ms|s|m|h)")) {
                long n = Long.parseLong(v.replaceAll("[a-z]+$", ""));
                return switch (v.replaceAll("^\\d+", "")) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(s.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | ArithmeticException e) {
            throw KubaniException.invalidInput(flag + ": '" + s + "' is not a duration; write e.g. 300s, 5m or 1h");
        } catch (NumberFormatException e) {
            throw KubaniException.invalidInput(flag + ": '" + s + "' is too large; write e.g. 300s, 5m or 1h");
        }
    }
}
