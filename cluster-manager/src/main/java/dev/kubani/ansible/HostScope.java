package dev.kubani.ansible;

import dev.kubani.core.KubaniException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hosts an Ansible --limit pattern selects, asked of ansible itself ({@code ansible all
 * --limit PATTERN --list-hosts}) so that groups, globs, regexes, exclusions, intersections and
 * slices mean exactly what they mean to ansible-playbook.
 */
public final class HostScope {
    private static final long TIMEOUT_SECONDS = 60;

    private HostScope() {
    }

    public static List<String> resolve(Path ansibleDir, Map<String, String> env, Path inventory, String limit) {
        String bin = PlaybookRunner.which(env.getOrDefault("KUBANI_ANSIBLE", "ansible"), env);
        if (bin == null) {
            throw KubaniException.unexpectedState("ansible is not installed on this machine: install it with "
                    + "'sudo apt-get install ansible-core' (Debian/Ubuntu) or 'pipx install ansible-core'");
        }
        ProcessBuilder pb = new ProcessBuilder(bin, "all", "-i", inventory.toString(), "--limit", limit, "--list-hosts");
        pb.directory(ansibleDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path cfg = ansibleDir.resolve("ansible.cfg");
        if (cfg.toFile().isFile() && !env.containsKey("ANSIBLE_CONFIG")) {
            pb.environment().put("ANSIBLE_CONFIG", cfg.toString());
        }
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        String out;
        int rc;
        try {
            Process p = pb.start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw KubaniException.unexpectedState("'ansible --list-hosts' did not answer within " + TIMEOUT_SECONDS + " s");
            }
            rc = p.exitValue();
        } catch (IOException e) {
            throw KubaniException.unexpectedState("cannot run ansible to resolve --limit: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KubaniException.failed("interrupted while resolving --limit");
        }
        List<String> hosts = parse(out);
        if (hosts.isEmpty()) {
            String err = out.lines().filter(l -> l.contains("ERROR") || l.contains("WARNING")).findFirst().orElse("").strip();
            throw KubaniException.invalidInput("--limit '" + limit + "' matches no host in " + inventory
                    + (rc != 0 && !err.isEmpty() ? " (" + err + ")" : "")
                    + "; use host or group names from the inventory, e.g. --limit workers or --limit 'all:!desktop'");
        }
        return hosts;
    }

    /** Parses "  hosts (N):" followed by one indented host per line. */
    static List<String> parse(String out) {
        List<String> hosts = new ArrayList<>();
        boolean in = false;
        for (String l : out.split("\n")) {
            String s = l.strip();
            if (s.matches("hosts \\(\\d+\\):")) {
                in = true;
                continue;
            }
            if (in && !s.isEmpty() && l.startsWith("    ")) {
                hosts.add(s);
            }
        }
        return hosts;
    }
}
