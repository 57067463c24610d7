package dev.kubani.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.age.Age;
import dev.kubani.core.ExitCode;
import dev.kubani.sops.Sops;
import dev.kubani.sops.SopsFormat;
import dev.kubani.testutil.CliRunner;
import dev.kubani.testutil.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster-mgr secrets init|create|rotate|show, run in-process on a scratch repository. */
class SecretsCommandsTest {
    private static final String SOPS_YAML = "# SOPS rules (comment kept)\ncreation_rules:\n"
            + "  # the GitOps secrets\n  - path_regex: gitops/.*\\.enc\\.ya?ml$\n    encrypted_regex: ^(data|stringData)$\n"
            + "    age: AGE-RECIPIENT-SET-BY-cluster-mgr-secrets-init   # set by init\n";
    private static final String CF_TOKEN = "cfTokenVALUE-0123456789abcdef";

    @TempDir
    Path repo;
    CliRunner cli;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(repo.resolve(".sops.yaml"), SOPS_YAML);
        for (String d : List.of("gitops/apps/base/postgresql", "gitops/apps/base/redis", "gitops/apps/base/authentik",
                "gitops/infrastructure/cert-manager")) {
            Files.createDirectories(repo.resolve(d));
            Files.writeString(repo.resolve(d).resolve("kustomization.yaml"), "# keep me\napiVersion: kustomize.config.k8s.io/v1beta1\n"
                    + "kind: Kustomization\nresources:\n  - namespace.yaml   # the namespace\n  - helmrelease.yaml\n"
                    + "components:\n  - ../x\n");
        }
        cli = new CliRunner(repo).env("KUBANI_SOPS", "builtin").env("SOPS_AGE_KEY_FILE", null).env("SOPS_AGE_KEY", null);
        Files.writeString(repo.resolve("cf.txt"), CF_TOKEN + "\n");
    }

    private String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private List<String> key() {
        return Age.parseIdentities(SecureFiles.read(repo.resolve("age.key")), "age.key");
    }

    private Map<String, Object> decrypt(SecretCatalog.Spec s) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sd = (Map<String, Object>) Sops.decrypt(SecureFiles.read(repo.resolve(s.path())), SopsFormat.YAML,
                s.path(), key()).doc().get("stringData");
        return sd;
    }

    private List<String> allValues() {
        List<String> v = new ArrayList<>(key());
        for (SecretCatalog.Spec s : SecretCatalog.ALL) {
            if (Files.exists(repo.resolve(s.path()))) {
                decrypt(s).values().forEach(x -> v.add(String.valueOf(x)));
            }
        }
        return v;
    }

    private static void assertNoSecret(CliRunner.Result r, List<String> secrets) {
        for (String s : secrets) {
            assertThat(r.out()).as("stdout").doesNotContain(s);
            assertThat(r.err()).as("stderr").doesNotContain(s);
        }
    }

    @Test
    @DisplayName("secrets init: age key (0600, age-keygen format), .sops.yaml recipient with comments kept, sops-age manifest (0600)")
    void init() throws Exception {
        CliRunner.Result r = cli.run("secrets", "init");
        assertThat(r.code()).as(r.toString()).isZero();
        Path key = repo.resolve("age.key");
        assertThat(mode(key)).isEqualTo("rw-------");
        String keyText = Files.readString(key);
        List<String> ids = Age.parseIdentities(keyText, "age.key");
        String recipient = Age.recipientOf(ids.get(0));
        assertThat(keyText).contains("# public key: " + recipient);
        assertThat(r.out()).contains(recipient).contains("kubectl apply -f");
        assertNoSecret(r, ids);
        String sops = Files.readString(repo.resolve(".sops.yaml"));
        assertThat(sops).isEqualTo(SOPS_YAML.replace("AGE-RECIPIENT-SET-BY-cluster-mgr-secrets-init", recipient));
        Path flux = repo.resolve("sops-age-secret.yaml");
        assertThat(mode(flux)).isEqualTo("rw-------");
        Map<String, Object> m = Sops.parsePlain(Files.readString(flux), SopsFormat.YAML, "f").get(0);
        assertThat(m).containsEntry("kind", "Secret").containsEntry("metadata", Map.of("name", "sops-age", "namespace", "flux-system"));
        assertThat(((Map<?, ?>) m.get("stringData")).get("age.agekey")).isEqualTo(keyText);
        // Debian's age reads the key file init wrote
        String armored = Age.encryptArmored("x".getBytes(), List.of(recipient));
        Proc.Out dec = Proc.run(List.of("age", "-d", "-i", key.toString()), armored.getBytes(), Map.of(), repo);
        assertThat(dec.out()).isEqualTo("x");
        // a second init keeps the key and changes nothing in .sops.yaml
        CliRunner.Result again = cli.run("secrets", "init");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("kept").contains("unchanged");
        assertThat(Files.readString(key)).isEqualTo(keyText);
        assertThat(Files.readString(repo.resolve(".sops.yaml"))).isEqualTo(sops);
        // the manifest must not go into gitops/
        CliRunner.Result bad = cli.run("secrets", "init", "--flux-secret-file", "gitops/x.yaml");
        assertThat(bad.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(bad.err().strip().lines()).hasSize(1);
    }

    @Test
    @DisplayName("secrets create: four encrypted Secrets where the tree expects them, 0600, listed in kustomization.yaml, no value printed")
    void create() throws Exception {
        assertThat(cli.run("secrets", "init").code()).isZero();
        CliRunner.Result r = cli.run("secrets", "create", "--cloudflare-token-file", "cf.txt");
        assertThat(r.code()).as(r.toString()).isZero();
        for (SecretCatalog.Spec s : SecretCatalog.ALL) {
            Path f = repo.resolve(s.path());
            assertThat(mode(f)).as(s.path()).isEqualTo("rw-------");
            String text = Files.readString(f);
            assertThat(text).contains("name: " + s.secretName(), "namespace: " + s.namespace(), "encrypted_regex: ^(data|stringData)$");
            Map<String, Object> sd = decrypt(s);
            assertThat(sd.keySet()).containsExactlyElementsOf(s.keys().stream().map(SecretCatalog.Key::name).toList());
            for (Object v : sd.values()) {
                assertThat(text).doesNotContain(String.valueOf(v));
            }
            String k = Files.readString(f.getParent().resolve("kustomization.yaml"));
            assertThat(k).startsWith("# keep me\n").contains("  - namespace.yaml   # the namespace\n  - helmrelease.yaml\n  - "
                    + f.getFileName() + "\ncomponents:");
        }
        assertThat(decrypt(SecretCatalog.CLOUDFLARE)).containsEntry("api-token", CF_TOKEN);
        Map<String, Object> pg = decrypt(SecretCatalog.POSTGRESQL);
        Map<String, Object> rd = decrypt(SecretCatalog.REDIS);
        Map<String, Object> ak = decrypt(SecretCatalog.AUTHENTIK);
        assertThat(ak.get("postgresql-password")).isEqualTo(pg.get("password"));
        assertThat(ak.get("redis-password")).isEqualTo(rd.get("redis-password"));
        assertThat(String.valueOf(ak.get("secret-key"))).hasSize(64).matches("[A-Za-z0-9]+");
        assertThat(String.valueOf(pg.get("password"))).hasSize(32).isNotEqualTo(pg.get("postgres-password"));
        assertNoSecret(r, allValues());
        assertThat(r.out()).contains("postgresql-credentials", "created");

        // run again: files kept, kustomization not duplicated
        String before = Files.readString(repo.resolve(SecretCatalog.REDIS.path()));
        CliRunner.Result again = cli.run("secrets", "create");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("exists (kept)");
        assertThat(Files.readString(repo.resolve(SecretCatalog.REDIS.path()))).isEqualTo(before);
        String k = Files.readString(repo.resolve("gitops/apps/base/redis/kustomization.yaml"));
        assertThat(k.split("secret.enc.yaml", -1)).hasSize(2);

        // Kubani's output decrypts with the npm package sops-age too
        Path node = Path.of(System.getProperty("kubani.repo.root", "..")).resolve("cluster-manager/src/test/node");
        Proc.Out js = Proc.run(List.of("node", node.resolve("decrypt.mjs").toString(),
                repo.resolve(SecretCatalog.AUTHENTIK.path()).toString(), "yaml"), new byte[0],
                Map.of("SOPS_AGE_KEY", key().get(0)), node);
        assertThat(js.code()).as(js.stderr()).isZero();
        assertThat(js.out()).contains("\"secret-key\":\"" + ak.get("secret-key") + "\"");
    }

    @Test
    @DisplayName("secrets create: token from CLOUDFLARE_API_TOKEN or stdin; without one and no terminal: exit 2, one line")
    void tokenSources() throws Exception {
        assertThat(cli.run("secrets", "init").code()).isZero();
        CliRunner.Result none = cli.run("secrets", "create");
        assertThat(none.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(none.err().strip().lines()).hasSize(1);
        assertThat(none.err()).contains("--cloudflare-token-file");
        assertThat(Files.exists(repo.resolve(SecretCatalog.CLOUDFLARE.path()))).isFalse();
        CliRunner.Result env = cli.env("CLOUDFLARE_API_TOKEN", "envToken123").run("secrets", "create", "--only", "cloudflare");
        assertThat(env.code()).as(env.toString()).isZero();
        assertThat(decrypt(SecretCatalog.CLOUDFLARE)).containsEntry("api-token", "envToken123");
        assertNoSecret(env, List.of("envToken123"));
        CliRunner.Result stdin = cli.env("CLOUDFLARE_API_TOKEN", null).stdin("stdinToken456\n")
                .run("secrets", "rotate", "cloudflare", "--cloudflare-token-file", "-");
        assertThat(stdin.code()).as(stdin.toString()).isZero();
        assertThat(decrypt(SecretCatalog.CLOUDFLARE)).containsEntry("api-token", "stdinToken456");
        assertNoSecret(stdin, List.of("stdinToken456", "envToken123"));
        CliRunner.Result bad = cli.run("secrets", "create", "--only", "nosuch");
        assertThat(bad.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(bad.err()).contains("unknown secret 'nosuch'");
    }

    @Test
    @DisplayName("secrets rotate: new values for one secret, Authentik's copies follow, secret-key kept")
    void rotate() throws Exception {
        assertThat(cli.run("secrets", "init").code()).isZero();
        assertThat(cli.run("secrets", "create", "--only", "postgresql,redis,authentik").code()).isZero();
        Map<String, Object> pg = decrypt(SecretCatalog.POSTGRESQL);
        Map<String, Object> ak = decrypt(SecretCatalog.AUTHENTIK);
        CliRunner.Result r = cli.run("secrets", "rotate", "postgresql");
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> pg2 = decrypt(SecretCatalog.POSTGRESQL);
        Map<String, Object> ak2 = decrypt(SecretCatalog.AUTHENTIK);
        assertThat(pg2.get("password")).isNotEqualTo(pg.get("password"));
        assertThat(pg2.get("postgres-password")).isNotEqualTo(pg.get("postgres-password"));
        assertThat(ak2.get("postgresql-password")).isEqualTo(pg2.get("password"));
        assertThat(ak2.get("secret-key")).isEqualTo(ak.get("secret-key"));
        assertThat(ak2.get("bootstrap-password")).isEqualTo(ak.get("bootstrap-password"));
        assertNoSecret(r, allValues());
        assertNoSecret(r, List.of(String.valueOf(pg.get("password"))));

        CliRunner.Result one = cli.run("secrets", "rotate", "authentik", "--key", "secret-key");
        assertThat(one.code()).isZero();
        assertThat(decrypt(SecretCatalog.AUTHENTIK).get("secret-key")).isNotEqualTo(ak.get("secret-key"));
        CliRunner.Result copy = cli.run("secrets", "rotate", "authentik", "--key", "redis-password");
        assertThat(copy.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(copy.err()).contains("rotate that secret");
        CliRunner.Result missing = cli.run("secrets", "rotate", "cloudflare");
        assertThat(missing.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(missing.err()).contains("does not exist yet");
    }

    @Test
    @DisplayName("secrets show: key from --age-key-file, SOPS_AGE_KEY_FILE or SOPS_AGE_KEY; real sops files; tampering refused")
    void show() throws Exception {
        assertThat(cli.run("secrets", "init").code()).isZero();
        assertThat(cli.run("secrets", "create", "--only", "redis").code()).isZero();
        String pw = String.valueOf(decrypt(SecretCatalog.REDIS).get("redis-password"));
        Path keyFile = repo.resolve("age.key");
        Path moved = repo.resolve("elsewhere.key");
        Files.move(keyFile, moved);
        String file = SecretCatalog.REDIS.path();
        CliRunner.Result noKey = cli.env("HOME", repo.resolve("nohome").toString()).run("secrets", "show", file);
        assertThat(noKey.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(noKey.err()).contains("SOPS_AGE_KEY_FILE");
        CliRunner.Result a = cli.run("secrets", "show", "--age-key-file", moved.toString(), file);
        assertThat(a.code()).as(a.toString()).isZero();
        assertThat(a.out()).contains("redis-password: " + pw, "name: redis-credentials").doesNotContain("sops:");
        CliRunner.Result b = cli.env("SOPS_AGE_KEY_FILE", moved.toString()).run("secrets", "show", file);
        assertThat(b.out()).isEqualTo(a.out());
        String id = Age.parseIdentities(Files.readString(moved), "k").get(0);
        CliRunner.Result c = cli.env("SOPS_AGE_KEY_FILE", null).env("SOPS_AGE_KEY", id).run("secrets", "show", "-o", "json", file);
        assertThat(c.code()).isZero();
        assertThat(c.out()).contains("\"redis-password\" : \"" + pw + "\"");

        // a real sops-produced file, with the public test key from ../shared/sops
        Path shared = Path.of(System.getProperty("kubani.repo.root", "..")).resolve("../shared/sops").normalize();
        CliRunner.Result real = cli.run("secrets", "show", "--age-key-file", shared.resolve("fluxkc-keys-age.txt").toString(),
                shared.resolve("fluxkc-envs-env.env").toString());
        assertThat(real.code()).as(real.toString()).isZero();
        assertThat(real.out()).isEqualTo("key=value\n");

        // tampering: one line, exit 1, no value
        Path f = repo.resolve(file);
        String text = Files.readString(f);
        Files.writeString(f, text.replace("name: redis-credentials", "name: redis-credentialz"));
        CliRunner.Result t = cli.run("secrets", "show", "--age-key-file", moved.toString(), file);
        assertThat(t.code()).isEqualTo(ExitCode.FAILED);
        assertThat(t.err()).contains("MAC mismatch");
        assertThat(t.err().strip().lines()).hasSize(1);
        assertThat(t.out()).doesNotContain(pw);
        CliRunner.Result nf = cli.run("secrets", "show", "--age-key-file", moved.toString(), "nope.yaml");
        assertThat(nf.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(nf.err()).contains("nope.yaml: no such file");
    }
}
