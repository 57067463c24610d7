package dev.kubani.cli.secrets;

import dev.kubani.cli.CliEnv;
import dev.kubani.cli.ClusterMgr;
import dev.kubani.core.KubaniException;
import dev.kubani.secrets.AgeKeys;
import dev.kubani.secrets.Passwords;
import dev.kubani.secrets.SecretsService;
import dev.kubani.secrets.SecureFiles;
import dev.kubani.secrets.SopsEngine;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Supplier;

/** What the secrets commands share: finding the repository, keys and the Cloudflare token. */
final class SecretsSupport {
    private SecretsSupport() {
    }

    /** --repo, else the nearest directory up from the working directory with gitops/, else KUBANI_HOME. */
    static Path repo(ClusterMgr root, Path option) {
        CliEnv env = root.env();
        if (option != null) {
            Path p = option.isAbsolute() ? option : env.cwd().resolve(option).normalize();
            if (!Files.isDirectory(p)) {
                throw KubaniException.invalidInput("--repo " + option + ": not a directory");
            }
            return p;
        }
        for (Path p = env.cwd(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("gitops")) || Files.isRegularFile(p.resolve(".sops.yaml"))) {
                return p;
            }
        }
        String home = env.var("KUBANI_HOME");
        if (home != null && !home.isBlank() && Files.isDirectory(Path.of(home, "gitops"))) {
            return Path.of(home);
        }
        throw KubaniException.invalidInput("cannot find the repository (a directory with gitops/): run from inside it or pass --repo DIR");
    }

    static SecretsService service(ClusterMgr root, Path repo) {
        return new SecretsService(repo, SopsEngine.choose(root.env().vars()), new Passwords(new SecureRandom()));
    }

    /** The age identities, found lazily (only when a file must be decrypted). */
    static Supplier<List<String>> identities(ClusterMgr root, Path keyFileOption, Path repo) {
        return () -> {
            Path explicit = keyFileOption == null ? null
                    : keyFileOption.isAbsolute() ? keyFileOption : root.env().cwd().resolve(keyFileOption);
            AgeKeys.Found f = AgeKeys.find(explicit, root.env().vars(), repo == null ? null : repo.resolve("age.key"));
            if (f.identities().isEmpty()) {
                throw KubaniException.invalidInput("no age key found: set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY, pass --age-key-file,"
                        + " or run 'cluster-mgr secrets init'");
            }
            return f.identities();
        };
    }

    /**
     * The Cloudflare token: --cloudflare-token-file (a file, or - for stdin), then
     * CLOUDFLARE_API_TOKEN, then a prompt without echo on a terminal.
     */
    static SecretsService.TokenSource cloudflare(ClusterMgr root, String tokenFile) {
        return () -> {
            CliEnv env = root.env();
            String t;
            if (tokenFile != null) {
                if (tokenFile.equals("-")) {
                    try {
                        t = new BufferedReader(new InputStreamReader(env.in(), StandardCharsets.UTF_8)).readLine();
                    } catch (IOException e) {
                        t = null;
                    }
                    if (t == null) {
                        throw KubaniException.invalidInput("--cloudflare-token-file -: nothing on standard input");
                    }
                } else {
                    Path p = Path.of(tokenFile);
                    t = SecureFiles.read(p.isAbsolute() ? p : env.cwd().resolve(p)).strip();
                }
            } else if (env.var("CLOUDFLARE_API_TOKEN") != null && !env.var("CLOUDFLARE_API_TOKEN").isBlank()) {
                t = env.var("CLOUDFLARE_API_TOKEN");
            } else {
                Console c = env.tty() ? System.console() : null;
                if (c == null) {
                    throw KubaniException.invalidInput("the Cloudflare API token is needed: pass --cloudflare-token-file FILE"
                            + " (or - for stdin), set CLOUDFLARE_API_TOKEN, run on a terminal to be asked,"
                            + " or leave it out with --only postgresql,redis,authentik");
                }
                char[] pw = c.readPassword("Cloudflare API token (Zone:DNS:Edit + Zone:Zone:Read; input hidden): ");
                if (pw == null) {
                    throw KubaniException.invalidInput("no Cloudflare API token entered");
                }
                t = new String(pw);
                java.util.Arrays.fill(pw, ' ');
            }
            t = t.strip();
            if (t.isEmpty() || t.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                throw KubaniException.invalidInput("the Cloudflare API token is empty or holds spaces or control characters;"
                        + " paste the token exactly as Cloudflare shows it");
            }
            return t;
        };
    }
}
