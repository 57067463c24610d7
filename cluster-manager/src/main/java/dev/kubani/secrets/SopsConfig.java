package dev.kubani.secrets;

import dev.kubani.age.Age;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.YamlDoc;
import dev.kubani.sops.CryptRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The repository's {@code .sops.yaml}: creation rules (path_regex, age recipients, the encryption
 * rule), read and edited with {@link YamlDoc} so people's comments stay.
 */
public final class SopsConfig {
    public static final String FILE = ".sops.yaml";
    /** A path under gitops/ that the rule for Secret files must match. */
    public static final String PROBE = "gitops/apps/base/app/secret.enc.yaml";

    private SopsConfig() {
    }

    /** What a creation rule says for one file. */
    public record Rule(List<String> recipients, CryptRule cryptRule) {
    }

    /** The first creation rule whose path_regex matches {@code relPath} (repository-relative, '/'). */
    public static Rule ruleFor(Path repo, String relPath) {
        Path file = repo.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw KubaniException.invalidInput(file + ": not found; run 'cluster-mgr secrets init' first");
        }
        YamlDoc doc = YamlDoc.parse(file, SecureFiles.read(file));
        for (MappingNode rule : rules(doc)) {
            if (!matches(doc, rule, relPath)) {
                continue;
            }
            Node age = YamlDoc.get(rule, List.of("age"));
            List<String> recipients = recipients(age);
            if (recipients.isEmpty() || !recipients.stream().allMatch(Age::isRecipient)) {
                throw KubaniException.invalidInput(doc.where(age == null ? rule : age)
                        + ": the rule for " + relPath + " has no valid age recipient (age1...); run 'cluster-mgr secrets init'");
            }
            CryptRule cr = CryptRule.DEFAULT;
            int n = 0;
            for (String k : CryptRule.ALL_KEYS) {
                Node v = YamlDoc.get(rule, List.of(k));
                if (v instanceof ScalarNode s && !s.getValue().isEmpty()) {
                    n++;
                    try {
                        cr = CryptRule.byKey(k, s.getValue());
                    } catch (KubaniException e) {
                        throw KubaniException.invalidInput(doc.where(v) + ": " + e.getMessage());
                    }
                }
            }
            if (n > 1) {
                throw KubaniException.invalidInput(doc.where(rule) + ": a creation rule may set only one of "
                        + String.join(", ", CryptRule.ALL_KEYS));
            }
            return new Rule(recipients, cr);
        }
        throw KubaniException.invalidInput(file + ": no creation rule matches " + relPath
                + "; add one with path_regex: gitops/.*\\.enc\\.ya?ml$ (or run 'cluster-mgr secrets init')");
    }

    static List<MappingNode> rules(YamlDoc doc) {
        Node n = doc.get("creation_rules");
        List<MappingNode> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof SequenceNode s)) {
            throw KubaniException.invalidInput(doc.where(n) + ": creation_rules must be a list of rules");
        }
        for (Node c : s.getValue()) {
            if (!(c instanceof MappingNode m)) {
                throw KubaniException.invalidInput(doc.where(c) + ": each creation rule must be a mapping");
            }
            out.add(m);
        }
        return out;
    }

    static boolean matches(YamlDoc doc, MappingNode rule, String relPath) {
        Node pr = YamlDoc.get(rule, List.of("path_regex"));
        if (pr == null) {
            return true;
        }
        if (!(pr instanceof ScalarNode s)) {
            throw KubaniException.invalidInput(doc.where(pr) + ": path_regex must be a string");
        }
        try {
            return Pattern.compile(s.getValue()).matcher(relPath).find();
        } catch (PatternSyntaxException e) {
            throw KubaniException.invalidInput(doc.where(pr) + ": path_regex is not a valid regular expression ("
                    + e.getDescription() + ")");
        }
    }

    static List<String> recipients(Node age) {
        List<String> out = new ArrayList<>();
        if (age instanceof ScalarNode s) {
            for (String r : s.getValue().split(",")) {
                if (!r.isBlank()) {
                    out.add(r.strip());
                }
            }
        } else if (age instanceof SequenceNode seq) {
            for (Node c : seq.getValue()) {
                if (c instanceof ScalarNode cs) {
                    out.add(cs.getValue().strip());
                }
            }
        }
        return out;
    }

    /** Result of {@link #withRecipient}: the new text and what changed, for the summary. */
    public record Edit(String text, String change) {
    }

    /**
     * .sops.yaml text that encrypts gitops/ secrets to {@code recipient}: a new file, or the
     * existing one with the recipient put into every rule that matches gitops/ (replacing a
     * placeholder, appended to real recipients). Only {@code age:} values are touched.
     */
    public static Edit withRecipient(Path file, String existing, String recipient) {
        if (existing == null) {
            String text = "# SOPS creation rules, written by 'cluster-mgr secrets init'.\n"
                    + "# Secrets in gitops/ (*.enc.yaml) are encrypted to these age recipients; only\n"
                    + "# data/stringData are encrypted, so Kustomize and Flux can still read the rest.\n"
                    + "creation_rules:\n"
                    + "  - path_regex: gitops/.*\\.enc\\.ya?ml$\n"
                    + "    encrypted_regex: ^(data|stringData)$\n"
                    + "    age: " + recipient + "\n";
            return new Edit(text, "created");
        }
        YamlDoc doc = YamlDoc.parse(file, existing);
        String text = existing;
        String change = "unchanged (already has the recipient)";
        boolean any = false;
        // edit from the last rule to the first so earlier offsets stay valid
        List<MappingNode> rules = rules(doc);
        for (int i = rules.size() - 1; i >= 0; i--) {
            MappingNode rule = rules.get(i);
            if (!matches(doc, rule, PROBE)) {
                continue;
            }
            any = true;
            NodeTuple t = YamlDoc.entry(rule, "age");
            if (t == null) {
                throw KubaniException.invalidInput(doc.where(rule) + ": this creation rule for gitops/ has no 'age:' key;"
                        + " add 'age: " + recipient + "' to it");
            }
            if (!(t.getValueNode() instanceof ScalarNode s)) {
                throw KubaniException.invalidInput(doc.where(t.getValueNode())
                        + ": write age: as one comma-separated string of recipients");
            }
            List<String> current = recipients(s);
            if (current.contains(recipient)) {
                continue;
            }
            List<String> real = new ArrayList<>();
            for (String r : current) {
                if (Age.isRecipient(r)) {
                    real.add(r);
                }
            }
            real.add(recipient);
            String value = String.join(",", real);
            text = YamlDoc.parse(file, text).replaceScalar(nodeAt(YamlDoc.parse(file, text), i), value);
            change = real.size() == 1 ? "recipient set" : "recipient added (" + real.size() + " recipients)";
        }
        if (!any) {
            throw KubaniException.invalidInput(file + ": no creation rule matches gitops/ secret files; add one with"
                    + " path_regex: gitops/.*\\.enc\\.ya?ml$, encrypted_regex: ^(data|stringData)$ and age:");
        }
        return new Edit(text, change);
    }

    private static ScalarNode nodeAt(YamlDoc doc, int ruleIndex) {
        return (ScalarNode) YamlDoc.entry(rules(doc).get(ruleIndex), "age").getValueNode();
    }
}
