package dev.kubani.secrets;

import dev.kubani.age.Age;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.YamlDoc;
import dev.kubani.sops.Sops;
import dev.kubani.sops.SopsFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The work behind {@code cluster-mgr secrets}: the age key and .sops.yaml, and the encrypted
 * Secret files of the GitOps tree. Results carry names and paths only, never a value.
 */
public final class SecretsService {
    private final Path repo;
    private final SopsEngine engine;
    private final Passwords passwords;

    public SecretsService(Path repo, SopsEngine engine, Passwords passwords) {
        this.repo = repo;
        this.engine = engine;
        this.passwords = passwords;
    }

    public Path repo() {
        return repo;
    }

    // ------------------------------------------------------------------ init

    public record InitResult(String recipient, boolean keyCreated, Path keyFile, String sopsChange, Path fluxSecret) {
    }

    /**
     * Creates the age key (or reuses the one in {@code keyFile}), puts its recipient into
     * .sops.yaml, and writes the sops-age Secret manifest for Flux (mode 0600, outside gitops/).
     */
    public InitResult init(Path keyFile, Path fluxSecret) {
        if (fluxSecret.toAbsolutePath().normalize().startsWith(repo.resolve("gitops").toAbsolutePath().normalize())) {
            throw KubaniException.invalidInput("--flux-secret-file " + fluxSecret
                    + ": the sops-age manifest holds the private key and must not go into gitops/; write it elsewhere");
        }
        try (AutoCloseable lock = SecureFiles.lock(repo)) {
            boolean created = false;
            String keyText;
            Age.Identity id;
            if (Files.exists(keyFile)) {
                keyText = SecureFiles.read(keyFile);
                List<String> ids;
                try {
                    ids = Age.parseIdentities(keyText, keyFile.toString());
                } catch (Age.AgeException e) {
                    throw KubaniException.invalidInput(e.getMessage());
                }
                if (ids.isEmpty()) {
                    throw KubaniException.invalidInput(keyFile + ": holds no age identity (AGE-SECRET-KEY-…);"
                            + " move it away to create a new key");
                }
                id = new Age.Identity(ids.get(0), Age.recipientOf(ids.get(0)));
                Files.setPosixFilePermissions(keyFile, SecureFiles.PRIVATE);
            } else {
                id = Age.generate();
                String now = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        Instant.now().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
                keyText = Age.keyFileText(id, now);
                SecureFiles.writePrivate(keyFile, keyText);
                created = true;
            }
            Path sopsFile = repo.resolve(SopsConfig.FILE);
            String existing = Files.exists(sopsFile) ? SecureFiles.read(sopsFile) : null;
            SopsConfig.Edit edit = SopsConfig.withRecipient(sopsFile, existing, id.recipient());
            if (existing == null || !existing.equals(edit.text())) {
                SecureFiles.writeKeepingMode(sopsFile, edit.text());
            }
            SecureFiles.writePrivate(fluxSecret, fluxSecretManifest(keyText));
            return new InitResult(id.recipient(), created, keyFile, edit.change(), fluxSecret);
        } catch (KubaniException e) {
            throw e;
        } catch (Exception e) {
            throw KubaniException.failed("secrets init failed: " + e.getMessage());
        }
    }

    /** The Secret Flux's kustomize-controller decrypts with: flux-system/sops-age, key age.agekey. */
    static String fluxSecretManifest(String keyText) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Secret");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", "sops-age");
        meta.put("namespace", "flux-system");
        doc.put("metadata", meta);
        doc.put("type", "Opaque");
        doc.put("stringData", Map.of("age.agekey", keyText));
        return "# The age private key for Flux (kustomize-controller). NEVER commit this file.\n"
                + "# Apply it once per cluster: kubectl apply -f <this file>; then keep it somewhere safe or delete it.\n"
                + Sops.emitPlain(List.of(doc), SopsFormat.YAML);
    }

    // ------------------------------------------------------------------ create / rotate

    /** Supplies the Cloudflare API token when one is needed (prompt, file or environment). */
    public interface TokenSource {
        String cloudflareToken();
    }

    public record Outcome(String secret, String namespace, String file, String status, List<String> keys,
                          boolean kustomizationUpdated) {
    }

    /**
     * Writes the encrypted Secret files that do not exist yet (all of them with {@code force}),
     * each added to its directory's kustomization.yaml.
     */
    public List<Outcome> create(List<SecretCatalog.Spec> which, boolean force, TokenSource tokens,
                                Supplier<List<String>> identities) {
        try (AutoCloseable lock = SecureFiles.lock(repo)) {
            List<Outcome> out = new ArrayList<>();
            Map<String, Map<String, String>> written = new LinkedHashMap<>();
            for (SecretCatalog.Spec s : SecretCatalog.ALL) {
                if (!which.contains(s)) {
                    continue;
                }
                Path file = repo.resolve(s.path());
                if (Files.exists(file) && !force) {
                    boolean k = addToKustomization(file);
                    out.add(new Outcome(s.secretName(), s.namespace(), s.path(), "exists (kept)", List.of(), k));
                    continue;
                }
                boolean existed = Files.exists(file);
                Map<String, String> values = new LinkedHashMap<>();
                for (SecretCatalog.Key k : s.keys()) {
                    values.put(k.name(), valueFor(k, tokens, written, identities));
                }
                write(s, values);
                written.put(s.id(), values);
                boolean k = addToKustomization(file);
                out.add(new Outcome(s.secretName(), s.namespace(), s.path(), existed ? "replaced" : "created",
                        List.copyOf(values.keySet()), k));
            }
            return out;
        } catch (KubaniException e) {
            throw e;
        } catch (Exception e) {
            throw KubaniException.failed("secrets create failed: " + e.getMessage());
        }
    }

    /**
     * Gives one secret new values: every key rotated by default, or just {@code onlyKey}. Keys that
     * repeat another Secret's value follow it: rotating PostgreSQL or Redis also updates
     * Authentik's copy when that file exists.
     */
    public List<Outcome> rotate(SecretCatalog.Spec s, String onlyKey, TokenSource tokens, Supplier<List<String>> identities) {
        try (AutoCloseable lock = SecureFiles.lock(repo)) {
            Path file = repo.resolve(s.path());
            if (!Files.exists(file)) {
                throw KubaniException.invalidInput(s.path() + ": does not exist yet; create it with 'cluster-mgr secrets create --only "
                        + s.id() + "'");
            }
            if (onlyKey != null && s.key(onlyKey) == null) {
                throw KubaniException.invalidInput("--key " + onlyKey + ": " + s.secretName() + " has the keys "
                        + String.join(", ", s.keys().stream().map(SecretCatalog.Key::name).toList()));
            }
            Map<String, String> values = read(s, identities.get());
            List<String> rotated = new ArrayList<>();
            Map<String, Map<String, String>> fresh = new LinkedHashMap<>();
            for (SecretCatalog.Key k : s.keys()) {
                boolean rotate = onlyKey == null ? k.rotatedByDefault() : k.name().equals(onlyKey);
                if (!rotate) {
                    continue;
                }
                if (k.source() == SecretCatalog.Source.POSTGRES_USER_PASSWORD || k.source() == SecretCatalog.Source.REDIS_PASSWORD) {
                    throw KubaniException.invalidInput("--key " + k.name() + ": this value repeats the "
                            + (k.source() == SecretCatalog.Source.REDIS_PASSWORD ? "redis" : "postgresql")
                            + " secret's password; rotate that secret and Authentik's copy follows");
                }
                values.put(k.name(), valueFor(k, tokens, fresh, identities));
                rotated.add(k.name());
            }
            write(s, values);
            List<Outcome> out = new ArrayList<>();
            out.add(new Outcome(s.secretName(), s.namespace(), s.path(), "rotated", rotated, addToKustomization(file)));
            // dependants: Authentik repeats PostgreSQL's user password and Redis's password
            Path ak = repo.resolve(SecretCatalog.AUTHENTIK.path());
            String copyKey = s == SecretCatalog.POSTGRESQL && rotated.contains("password") ? "postgresql-password"
                    : s == SecretCatalog.REDIS && rotated.contains("redis-password") ? "redis-password" : null;
            if (copyKey != null && Files.exists(ak)) {
                Map<String, String> av = read(SecretCatalog.AUTHENTIK, identities.get());
                av.put(copyKey, values.get(copyKey.equals("postgresql-password") ? "password" : "redis-password"));
                write(SecretCatalog.AUTHENTIK, av);
                out.add(new Outcome(SecretCatalog.AUTHENTIK.secretName(), SecretCatalog.AUTHENTIK.namespace(),
                        SecretCatalog.AUTHENTIK.path(), "updated (follows " + s.secretName() + ")", List.of(copyKey), false));
            }
            return out;
        } catch (KubaniException e) {
            throw e;
        } catch (Exception e) {
            throw KubaniException.failed("secrets rotate failed: " + e.getMessage());
        }
    }

    private String valueFor(SecretCatalog.Key k, TokenSource tokens, Map<String, Map<String, String>> written,
                            Supplier<List<String>> identities) {
        switch (k.source()) {
            case PASSWORD:
                return passwords.generate(Passwords.PASSWORD_LENGTH);
            case LONG_KEY:
                return passwords.generate(Passwords.LONG_KEY_LENGTH);
            case CLOUDFLARE_TOKEN:
                return tokens.cloudflareToken();
            case POSTGRES_USER_PASSWORD:
                return fromOther(SecretCatalog.POSTGRESQL, "password", written, identities);
            case REDIS_PASSWORD:
                return fromOther(SecretCatalog.REDIS, "redis-password", written, identities);
            default:
                throw new IllegalStateException();
        }
    }

    private String fromOther(SecretCatalog.Spec other, String key, Map<String, Map<String, String>> written,
                             Supplier<List<String>> identities) {
        Map<String, String> w = written.get(other.id());
        if (w != null) {
            return w.get(key);
        }
        if (!Files.exists(repo.resolve(other.path()))) {
            throw KubaniException.invalidInput("Authentik needs the " + other.id() + " password, but " + other.path()
                    + " does not exist; create both: 'cluster-mgr secrets create --only " + other.id() + ",authentik'");
        }
        String v = read(other, identities.get()).get(key);
        if (v == null) {
            throw KubaniException.invalidInput(other.path() + ": has no key '" + key + "'; rotate it with 'cluster-mgr secrets rotate "
                    + other.id() + "'");
        }
        return v;
    }

    /** The decrypted string values (stringData, and data base64-decoded) of a Secret file. */
    public Map<String, String> read(SecretCatalog.Spec s, List<String> identities) {
        Path file = repo.resolve(s.path());
        SopsFormat f = SopsFormat.forFile(file);
        String plain = engine.decrypt(SecureFiles.read(file), f, s.path(), identities);
        Map<String, Object> doc = Sops.parsePlain(plain, f, s.path()).get(0);
        Map<String, String> out = new LinkedHashMap<>();
        if (doc.get("data") instanceof Map<?, ?> data) {
            for (Map.Entry<?, ?> e : data.entrySet()) {
                try {
                    out.put(String.valueOf(e.getKey()), new String(Base64.getDecoder().decode(String.valueOf(e.getValue())),
                            StandardCharsets.UTF_8));
                } catch (IllegalArgumentException ex) {
                    throw KubaniException.invalidInput(s.path() + ": data." + e.getKey() + " is not base64");
                }
            }
        }
        if (doc.get("stringData") instanceof Map<?, ?> sd) {
            for (Map.Entry<?, ?> e : sd.entrySet()) {
                out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        }
        return out;
    }

    /** Encrypts and writes one Secret file (mode 0600). */
    private void write(SecretCatalog.Spec s, Map<String, String> values) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Secret");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", s.secretName());
        meta.put("namespace", s.namespace());
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/managed-by", "kubani");
        meta.put("labels", labels);
        doc.put("metadata", meta);
        doc.put("type", "Opaque");
        doc.put("stringData", new LinkedHashMap<String, Object>(values));
        SopsConfig.Rule rule = SopsConfig.ruleFor(repo, s.path());
        String plain = Sops.emitPlain(List.of(doc), SopsFormat.YAML);
        String enc = engine.encrypt(plain, SopsFormat.YAML, rule.recipients(), rule.cryptRule());
        SecureFiles.writePrivate(repo.resolve(s.path()), enc);
    }

    /** Adds the file to {@code resources:} of kustomization.yaml in its directory; true if it changed. */
    boolean addToKustomization(Path file) {
        Path dir = file.getParent();
        Path k = dir.resolve("kustomization.yaml");
        String name = file.getFileName().toString();
        if (!Files.exists(k)) {
            String text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - " + name + "\n";
            SecureFiles.writeKeepingMode(k, text);
            return true;
        }
        String text = SecureFiles.read(k);
        YamlDoc doc = YamlDoc.parse(k, text);
        Node res = doc.get("resources");
        if (res instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) {
                if (n instanceof ScalarNode sn && (sn.getValue().equals(name) || sn.getValue().equals("./" + name))) {
                    return false;
                }
            }
        }
        SecureFiles.writeKeepingMode(k, doc.appendItem(List.of("resources"), name));
        return true;
    }
}
