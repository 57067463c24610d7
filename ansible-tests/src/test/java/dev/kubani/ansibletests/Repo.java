package dev.kubani.ansibletests;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations in the repository under test. */
final class Repo {
    private Repo() {}

    static Path root() {
        String prop = System.getProperty("kubani.repo.root");
        Path p = prop != null ? Path.of(prop) : Path.of("..");
        return p.toAbsolutePath().normalize();
    }

    static Path ansible() {
        return root().resolve("ansible");
    }

    static Path harnessScript() {
        return root().resolve("tests/harness/hosts.sh");
    }

    static Path playbook(String name) {
        return ansible().resolve("playbooks").resolve(name);
    }

    static boolean isRoot() {
        try {
            return "0".equals(Proc.run(Path.of("."), java.util.Map.of(), 30, "id", "-u").out().trim());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
