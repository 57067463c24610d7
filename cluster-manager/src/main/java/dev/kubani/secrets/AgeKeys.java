package dev.kubani.secrets;

import dev.kubani.age.Age;
import dev.kubani.core.KubaniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Finds the age identities to decrypt with, following sops's conventions: --age-key-file alone
 * when given; otherwise SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, sops's default key file
 * ($XDG_CONFIG_HOME/sops/age/keys.txt, else ~/.config/sops/age/keys.txt), and the repository's
 * age.key written by {@code secrets init}.
 */
public final class AgeKeys {
    private AgeKeys() {
    }

    public record Found(List<String> identities, List<String> sources) {
    }

    public static Found find(Path explicitFile, Map<String, String> env, Path repoKey) {
        List<String> ids = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        if (explicitFile != null) {
            ids.addAll(fromFile(explicitFile, "--age-key-file"));
            sources.add(explicitFile.toString());
            return new Found(ids, sources);
        }
        String f = env.get("SOPS_AGE_KEY_FILE");
        if (f != null && !f.isBlank()) {
            ids.addAll(fromFile(Path.of(f), "SOPS_AGE_KEY_FILE"));
            sources.add("SOPS_AGE_KEY_FILE");
        }
        String k = env.get("SOPS_AGE_KEY");
        if (k != null && !k.isBlank()) {
            try {
                ids.addAll(Age.parseIdentities(k, "SOPS_AGE_KEY"));
            } catch (Age.AgeException e) {
                throw KubaniException.invalidInput(e.getMessage());
            }
            sources.add("SOPS_AGE_KEY");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        String home = env.get("HOME");
        Path def = xdg != null && !xdg.isBlank() ? Path.of(xdg, "sops", "age", "keys.txt")
                : home != null ? Path.of(home, ".config", "sops", "age", "keys.txt") : null;
        for (Path p : new Path[] {def, repoKey}) {
            if (p != null && Files.isRegularFile(p)) {
                ids.addAll(fromFile(p, p.toString()));
                sources.add(p.toString());
            }
        }
        return new Found(new ArrayList<>(new LinkedHashSet<>(ids)), sources);
    }

    private static List<String> fromFile(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw KubaniException.invalidInput(what + ": " + p + " is not a file; point it at an age key file"
                    + " (AGE-SECRET-KEY-… lines)");
        }
        try {
            return Age.parseIdentities(SecureFiles.read(p), p.toString());
        } catch (Age.AgeException e) {
            throw KubaniException.invalidInput(e.getMessage());
        }
    }
}
