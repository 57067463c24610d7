package dev.kubani.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files of the lab directory (lab/ in the Kubani checkout). */
public record LabPaths(Path dir) {
    public LabPaths {
        dir = dir.toAbsolutePath().normalize();
    }

    public Path vagrantfile() {
        return dir.resolve("Vagrantfile");
    }

    public Path k0sctlYaml() {
        return dir.resolve("k0sctl.yaml");
    }

    /** The admin kubeconfig exported from the lab (mode 0600, git-ignored). */
    public Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    /** The lab's own SSH key, authorised in every VM and used by k0sctl (git-ignored). */
    public Path sshKey() {
        return dir.resolve(".ssh").resolve("id_ed25519");
    }

    public Path sshPublicKey() {
        return dir.resolve(".ssh").resolve("id_ed25519.pub");
    }

    /** The public key text, or null before 'cluster-mgr lab up' made the key. */
    public String publicKey() {
        try {
            return Files.isRegularFile(sshPublicKey()) ? Files.readString(sshPublicKey(), StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
