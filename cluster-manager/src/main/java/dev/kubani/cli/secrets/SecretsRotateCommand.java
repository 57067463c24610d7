package dev.kubani.cli.secrets;

import dev.kubani.secrets.SecretCatalog;
import dev.kubani.secrets.SecretsService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cluster-mgr secrets rotate NAME}: new values for one secret. */
@Command(name = "rotate", description = {"Give one secret new values: cloudflare, postgresql, redis or authentik.",
    "Authentik's copies of the PostgreSQL and Redis passwords follow. Its secret-key changes only with --key secret-key."})
public final class SecretsRotateCommand extends OutcomeCommand {
    @Parameters(paramLabel = "NAME", description = "cloudflare, postgresql, redis or authentik (or the Secret's name).")
    String name;

    @Option(names = "--key", paramLabel = "KEY", description = "Rotate only this key of the secret.")
    String key;

    @Option(names = "--repo", paramLabel = "DIR", description = "Repository root (default: nearest directory with gitops/).")
    Path repo;

    @Option(names = "--cloudflare-token-file", paramLabel = "FILE",
            description = "Read the new Cloudflare API token from FILE (- for standard input).")
    String tokenFile;

    @Option(names = "--age-key-file", paramLabel = "FILE", description = "age key to decrypt the current file with.")
    Path ageKeyFile;

    @Override
    protected int execute() {
        SecretCatalog.Spec spec = SecretCatalog.find(name);
        Path r = SecretsSupport.repo(root(), repo);
        List<SecretsService.Outcome> res = SecretsSupport.service(root(), r).rotate(spec, key,
                SecretsSupport.cloudflare(root(), tokenFile), SecretsSupport.identities(root(), ageKeyFile, r));
        List<String> notes = new ArrayList<>();
        notes.add("Commit the changed files; Flux updates the Secrets within its interval.");
        if (spec == SecretCatalog.POSTGRESQL) {
            notes.add("PostgreSQL keeps its old passwords until you change them in the database too:");
            notes.add("  ALTER USER postgres PASSWORD '...'; ALTER USER authentik PASSWORD '...';  (values: cluster-mgr secrets show "
                    + spec.path() + ")");
        } else if (spec == SecretCatalog.REDIS) {
            notes.add("Restart Redis and Authentik after Flux applied it: kubectl -n cache rollout restart statefulset;"
                    + " kubectl -n auth rollout restart deployment");
        } else if (spec == SecretCatalog.CLOUDFLARE) {
            notes.add("Revoke the old token in the Cloudflare dashboard once cert-manager uses the new one.");
        } else {
            notes.add("Authentik applies a new bootstrap password only on a fresh install; change it in the admin UI as well.");
        }
        print(res, notes);
        return 0;
    }
}
