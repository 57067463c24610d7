package dev.kubani.cli.secrets;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.OutputFormat;
import dev.kubani.cli.Printer;
import dev.kubani.secrets.SecureFiles;
import dev.kubani.secrets.SopsEngine;
import dev.kubani.sops.Sops;
import dev.kubani.sops.SopsFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cluster-mgr secrets show FILE}: prints the decrypted document (like sops -d). */
@Command(name = "show", description = {"Print a SOPS file decrypted (the values are shown: you asked for them).",
    "The age key comes from --age-key-file, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, ~/.config/sops/age/keys.txt or the repository's age.key.",
    "Every value and the file's MAC are verified; a changed file is refused."})
public final class SecretsShowCommand extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "A SOPS-encrypted YAML, JSON, dotenv or binary file.")
    Path file;

    @Option(names = "--age-key-file", paramLabel = "FILE", description = "age key file (takes precedence over the environment).")
    Path ageKeyFile;

    @Option(names = "--type", paramLabel = "TYPE", description = "File format: yaml, json, dotenv or binary (default: from the name).")
    String type;

    @Override
    protected int execute() {
        Path f = file.isAbsolute() ? file : root().env().cwd().resolve(file).normalize();
        SopsFormat format = type == null ? SopsFormat.forFile(f) : SopsFormat.parse(type, "--type");
        Path repoKeyBase = null;
        for (Path p = f.getParent(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.isRegularFile(p.resolve("age.key"))) {
                repoKeyBase = p;
                break;
            }
        }
        List<String> ids = SecretsSupport.identities(root(), ageKeyFile, repoKeyBase).get();
        String text = SecureFiles.read(f);
        String plain = SopsEngine.choose(root().env().vars()).decrypt(text, format, file.toString(), ids);
        OutputFormat out = root().outputFormat();
        if (out != OutputFormat.TABLE && format != SopsFormat.BINARY) {
            List<Map<String, Object>> docs = Sops.parsePlain(plain, format, file.toString());
            Printer.structured(root(), docs.size() == 1 ? docs.get(0) : docs);
            return 0;
        }
        root().env().out().print(plain);
        root().env().out().flush();
        return 0;
    }
}
