package dev.kubani.ansible;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throw-away Kubani checkout for tests: ansible/ansible.cfg, the kubani_events callback and
 * the strategy plugins copied unchanged from the repository, plus the test playbooks and roles from
 * src/test/resources/provision, and the inventory. Real ansible-playbook runs against it with
 * local connections (every inventory host is this machine).
 */
public final class AnsibleHome {
    public final Path home;
    public final Path ansible;
    public final Path inventory;
    public final Path artifacts;
    public final Path bin;

    public AnsibleHome(Path tmp) throws IOException {
        home = tmp.resolve("kubani");
        ansible = home.resolve("ansible");
        Path repo = Path.of(System.getProperty("kubani.repo.root", "..")).toAbsolutePath().normalize();
        Files.createDirectories(ansible.resolve("callback_plugins"));
        Files.writeString(home.resolve("pom.xml"), "<!-- test checkout -->\n");
        Files.copy(repo.resolve("ansible/ansible.cfg"), ansible.resolve("ansible.cfg"));
        Files.copy(repo.resolve("ansible/callback_plugins/kubani_events.py"),
                ansible.resolve("callback_plugins/kubani_events.py"));
        // ansible.cfg names the kubani_linear strategy, so its plugins come along unchanged.
        copyTree(repo.resolve("ansible/strategy_plugins"), ansible.resolve("strategy_plugins"));
        Path res = Path.of("src/test/resources/provision").toAbsolutePath();
        copyTree(res.resolve("playbooks"), ansible.resolve("playbooks"));
        copyTree(res.resolve("roles"), ansible.resolve("roles"));
        copyTree(res.resolve("inventory"), ansible.resolve("inventory"));
        inventory = ansible.resolve("inventory/hosts.yml");
        artifacts = tmp.resolve("artifacts");
        bin = tmp.resolve("bin");
        Files.createDirectories(bin);
    }

    /** Writes an executable stand-in program into {@link #bin}. */
    public Path script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** Adds a file under ansible/ (an inventory, a playbook). */
    public Path write(String rel, String text) throws IOException {
        Path p = ansible.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    public Path playbook(String name) {
        return ansible.resolve("playbooks").resolve(name);
    }

    public static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            List<Path> all = s.toList();
            for (Path p : all) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The one run directory under {@link #artifacts}; fails unless there is exactly one. */
    public Path onlyRunDir() throws IOException {
        try (Stream<Path> runs = Files.list(artifacts)) {
            List<Path> all = runs.toList();
            if (all.size() != 1) {
                throw new AssertionError("expected one run directory under " + artifacts + ", found " + all);
            }
            return all.get(0);
        }
    }

    /** Whether the raw log ({@code stdout}) of any run under {@link #artifacts} contains {@code s}. */
    public boolean logHas(String s) throws IOException {
        if (!Files.isDirectory(artifacts)) {
            return false;
        }
        try (Stream<Path> runs = Files.list(artifacts)) {
            for (Path p : runs.toList()) {
                Path log = p.resolve("stdout");
                if (Files.exists(log) && Files.readString(log).contains(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Writes a user's existing kubeconfig (a cluster, user and current context all named "work",
     * token "work-token") to {@code kubeconfig}, for tests that check a merge keeps it.
     */
    public static void writeWorkKubeconfig(Path kubeconfig) throws IOException {
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: work, cluster: {server: 'https://work.example:6443'}}]
                users: [{name: work, user: {token: work-token}}]
                contexts: [{name: work, context: {cluster: work, user: work}}]
                current-context: work
                """);
    }
}
