package dev.kubani.cli.secrets;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Term;
import dev.kubani.secrets.SecretsService;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cluster-mgr secrets init}: the age key, .sops.yaml and the sops-age Secret for Flux. */
@Command(name = "init", description = {"Create the age key pair, point .sops.yaml at it, and write the sops-age Secret for Flux.",
    "An existing key file is reused. The private key is never printed; its files are mode 0600."})
public final class SecretsInitCommand extends BaseCommand {
    @Option(names = "--repo", paramLabel = "DIR", description = "Repository root (default: nearest directory with gitops/).")
    Path repo;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Private key file (default: age.key in the repository, git-ignored).")
    Path keyFile;

    @Option(names = "--flux-secret-file", paramLabel = "FILE",
            description = "Where to write the sops-age Secret manifest (default: sops-age-secret.yaml in the repository; never commit it).")
    Path fluxSecret;

    @Override
    protected int execute() {
        Path r = SecretsSupport.repo(root(), repo);
        Path key = keyFile == null ? r.resolve("age.key") : root().env().cwd().resolve(keyFile).normalize();
        Path flux = fluxSecret == null ? r.resolve("sops-age-secret.yaml") : root().env().cwd().resolve(fluxSecret).normalize();
        SecretsService.InitResult res = SecretsSupport.service(root(), r).init(key, flux);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("publicKey", res.recipient());
        data.put("keyFile", res.keyFile().toString());
        data.put("keyCreated", res.keyCreated());
        data.put("sopsConfig", r.resolve(".sops.yaml").toString());
        data.put("sopsConfigChange", res.sopsChange());
        data.put("fluxSecretFile", res.fluxSecret().toString());
        if (Printer.structured(root(), data)) {
            return 0;
        }
        Term t = term();
        t.out().println(t.green(res.keyCreated() ? "created " : "kept    ") + res.keyFile() + " (mode 0600, private key: keep it safe, never commit it)");
        t.out().println("public key: " + t.bold(res.recipient()));
        t.out().println(t.green("updated ") + r.resolve(".sops.yaml") + ": " + res.sopsChange());
        t.out().println(t.green("wrote   ") + res.fluxSecret() + " (mode 0600, holds the private key: never commit it)");
        t.out().println();
        t.out().println("Next:");
        t.out().println("  kubectl apply -f " + res.fluxSecret() + "    # Secret flux-system/sops-age for Flux");
        t.out().println("  export SOPS_AGE_KEY_FILE=" + res.keyFile() + "   # for sops and 'cluster-mgr secrets show'");
        t.out().println("  cluster-mgr secrets create");
        t.out().flush();
        return 0;
    }
}
