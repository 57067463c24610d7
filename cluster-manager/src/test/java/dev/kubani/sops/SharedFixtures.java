package dev.kubani.sops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The real sops-produced files and public test keys in ../shared/sops (published by the sops and
 * Flux projects, see their README). Read in place, never copied into the repository.
 */
final class SharedFixtures {
    private SharedFixtures() {
    }

    static Path dir() {
        String root = System.getProperty("kubani.repo.root", "..");
        Path d = Path.of(root).resolve("../shared/sops").normalize();
        if (!Files.isDirectory(d)) {
            d = Path.of("/work/shared/sops");
        }
        Assumptions.assumeTrue(Files.isDirectory(d), "../shared/sops is not next to the repository");
        return d;
    }

    static String read(String name) {
        try {
            return Files.readString(dir().resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> key(String name) {
        return dev.kubani.age.Age.parseIdentities(read(name), name);
    }
}
