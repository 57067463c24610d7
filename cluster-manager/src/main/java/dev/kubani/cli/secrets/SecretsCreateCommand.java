package dev.kubani.cli.secrets;

import dev.kubani.secrets.SecretCatalog;
import dev.kubani.secrets.SecretsService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cluster-mgr secrets create}: the encrypted Secret files of the production services. */
@Command(name = "create", description = {"Write SOPS-encrypted Secrets for Cloudflare, PostgreSQL, Redis and Authentik.",
    "Passwords are generated; the Cloudflare token is asked for without echo, or read from a file or CLOUDFLARE_API_TOKEN.",
    "Existing files are kept unless --force. Each file is added to its directory's kustomization.yaml."})
public final class SecretsCreateCommand extends OutcomeCommand {
    @Option(names = "--repo", paramLabel = "DIR", description = "Repository root (default: nearest directory with gitops/).")
    Path repo;

    @Option(names = "--only", paramLabel = "NAMES", split = ",",
            description = "Only these secrets: cloudflare, postgresql, redis, authentik (default: all).")
    List<String> only;

    @Option(names = "--cloudflare-token-file", paramLabel = "FILE",
            description = "Read the Cloudflare API token from FILE (- for standard input).")
    String tokenFile;

    @Option(names = "--force", description = "Replace existing secret files with new values.")
    boolean force;

    @Option(names = "--age-key-file", paramLabel = "FILE",
            description = "age key to read existing secrets with (Authentik repeats the PostgreSQL and Redis passwords).")
    Path ageKeyFile;

    @Override
    protected int execute() {
        Path r = SecretsSupport.repo(root(), repo);
        List<SecretCatalog.Spec> which = new ArrayList<>();
        if (only == null || only.isEmpty()) {
            which.addAll(SecretCatalog.ALL);
        } else {
            for (String n : only) {
                which.add(SecretCatalog.find(n));
            }
        }
        List<SecretsService.Outcome> res = SecretsSupport.service(root(), r).create(which, force,
                SecretsSupport.cloudflare(root(), tokenFile), SecretsSupport.identities(root(), ageKeyFile, r));
        print(res, List.of("Values are encrypted and never shown; read one with 'cluster-mgr secrets show FILE'.",
                "Commit the *.enc.yaml files and kustomization.yaml changes; Flux decrypts them with flux-system/sops-age."));
        return 0;
    }
}
