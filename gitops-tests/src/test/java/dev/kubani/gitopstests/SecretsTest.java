package dev.kubani.gitopstests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No plaintext Secret in gitops/, .sops.yaml rules, and the contract with `cluster-mgr secrets create`:
 * the secret files documented in gitops/README.md fit the tree.
 */
class SecretsTest {

    static final Path FIXTURES = GitopsRepo.root().resolve("gitops-tests/src/test/resources/fixtures");
    /** Real sops 3.9 output (fluxcd/kustomize-controller test data), from ../shared/sops. */
    static final Path REAL_SOPS_SECRET = GitopsRepo.shared().resolve("sops/fluxkc-algorithms-age.yaml");

    record DocumentedSecret(String path, String namespace, String name, List<String> keys) {}

    /** The secret files table of gitops/README.md. */
    static List<DocumentedSecret> documented() {
        String readme = GitopsRepo.read(GitopsRepo.gitops().resolve("README.md"));
        Pattern row = Pattern.compile("^\\|\\s*`([^`]+\\.enc\\.yaml)`\\s*\\|\\s*`([^`]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|", Pattern.MULTILINE);
        List<DocumentedSecret> l = new ArrayList<>();
        Matcher m = row.matcher(readme);
        while (m.find()) {
            List<String> keys = new ArrayList<>();
            Matcher k = Pattern.compile("`([^`]+)`").matcher(m.group(4));
            while (k.find()) keys.add(k.group(1));
            l.add(new DocumentedSecret(m.group(1), m.group(2), m.group(3), keys));
        }
        return l;
    }

    @Test
    void everySecretInTheTreeIsSopsEncrypted() {
        assertThat(GitopsRepo.yamlFiles()).hasSizeGreaterThan(20);
        assertThat(SopsSecretCheck.scan(GitopsRepo.gitops())).isEmpty();
        // and whatever kustomize renders (a generator would produce plaintext)
        List<String> rendered = new ArrayList<>();
        for (Path d : GitopsRepo.kustomizationDirs()) {
            for (JsonNode o : GitopsRepo.render(d)) {
                if (SopsSecretCheck.isSecret(o)) rendered.addAll(SopsSecretCheck.problems(o));
            }
        }
        assertThat(rendered).isEmpty();
    }

    @Test
    void theCheckFailsOnAPlaintextSecretFixture(@TempDir Path tmp) throws IOException {
        Path fixture = FIXTURES.resolve("plaintext-secret.yaml");
        List<String> p = SopsSecretCheck.problems(GitopsRepo.readYaml(fixture).get(0));
        assertThat(p).anyMatch(s -> s.contains("no sops: block"));
        assertThat(p).anyMatch(s -> s.contains("stringData.password is plaintext"));
        // dropped into a copy of the tree, the scan that guards gitops/ refuses it
        Path tree = copyTree(tmp);
        Files.copy(fixture, tree.resolve("apps/base/postgresql/secret.enc.yaml"));
        assertThat(SopsSecretCheck.scan(tree)).anyMatch(s -> s.startsWith("apps/base/postgresql/secret.enc.yaml"));
    }

    @Test
    void theCheckAcceptsRealSopsOutputAndRejectsEachWayOfBreakingIt() {
        for (String f : List.of("fluxkc-algorithms-age.yaml", "fluxkc-global-secret.yaml", "fluxkc-patches-merge1.yaml", "fluxkc-patches-merge2.yaml")) {
            JsonNode doc = GitopsRepo.readYaml(GitopsRepo.shared().resolve("sops").resolve(f)).get(0);
            assertThat(SopsSecretCheck.problems(doc)).as(f).isEmpty();
        }
        JsonNode real = GitopsRepo.readYaml(REAL_SOPS_SECRET).get(0);

        ObjectNode added = GitopsRepo.copy(real);
        ((ObjectNode) added.get("stringData")).put("extra", "plain value");
        assertThat(SopsSecretCheck.problems(added)).anyMatch(s -> s.contains("stringData.extra is plaintext"));

        ObjectNode noAge = GitopsRepo.copy(real);
        ((ObjectNode) noAge.get("sops")).putArray("age");
        assertThat(SopsSecretCheck.problems(noAge)).anyMatch(s -> s.contains("no age recipient"));

        ObjectNode badRecipient = GitopsRepo.copy(real);
        ((ObjectNode) badRecipient.get("sops").get("age").get(0)).put("recipient", "AGE-RECIPIENT-SET-BY-cluster-mgr-secrets-init");
        assertThat(SopsSecretCheck.problems(badRecipient)).anyMatch(s -> s.contains("is not an age recipient"));

        ObjectNode noMac = GitopsRepo.copy(real);
        ((ObjectNode) noMac.get("sops")).remove("mac");
        assertThat(SopsSecretCheck.problems(noMac)).anyMatch(s -> s.contains("sops.mac"));

        ObjectNode otherRule = GitopsRepo.copy(real);
        ((ObjectNode) otherRule.get("sops")).remove("encrypted_regex");
        ((ObjectNode) otherRule.get("sops")).put("unencrypted_suffix", "_unencrypted");
        assertThat(SopsSecretCheck.problems(otherRule)).anyMatch(s -> s.contains("encrypted_regex"));

        ObjectNode base64 = GitopsRepo.copy(real);
        base64.remove("stringData");
        base64.putObject("data").put("key", "dmFsdWU=");
        assertThat(SopsSecretCheck.problems(base64)).anyMatch(s -> s.contains("data.key is plaintext"));
    }

    @Test
    void secretFilesAreNamedSoThatSopsCreationRulesApply() {
        JsonNode sops = GitopsRepo.readYaml(GitopsRepo.root().resolve(".sops.yaml")).get(0);
        JsonNode rule = sops.path("creation_rules").get(0);
        assertThat(rule.path("encrypted_regex").asText()).isEqualTo("^(data|stringData)$");
        Pattern pathRegex = Pattern.compile(rule.path("path_regex").asText());
        String age = rule.path("age").asText();
        assertThat(age).as("age recipients: a placeholder until `cluster-mgr secrets init`, then age1... keys")
                .matches("AGE-RECIPIENT-SET-BY-cluster-mgr-secrets-init|age1[0-9a-z]{58}(\\s*,\\s*age1[0-9a-z]{58})*");
        for (DocumentedSecret s : documented()) {
            assertThat(pathRegex.matcher(s.path()).find()).as(".sops.yaml path_regex covers %s", s.path()).isTrue();
        }
        for (Path f : SopsSecretCheck.secretFiles(GitopsRepo.gitops())) {
            assertThat(pathRegex.matcher(GitopsRepo.rel(f)).find()).as(".sops.yaml path_regex covers %s", GitopsRepo.rel(f)).isTrue();
        }
        assertThat(pathRegex.matcher("gitops/apps/base/postgresql/helmrelease.yaml").find()).isFalse();
    }

    @Test
    void noKustomizationGeneratesSecrets() {
        for (Path d : GitopsRepo.kustomizationDirs()) {
            assertThat(GitopsRepo.kustomization(d).has("secretGenerator")).as("%s uses secretGenerator", GitopsRepo.rel(d)).isFalse();
        }
    }

    @Test
    void theReadmeDocumentsTheSeedsSecrets() {
        List<DocumentedSecret> docs = documented();
        assertThat(docs).extracting(DocumentedSecret::path).containsExactlyInAnyOrder(
                "gitops/infrastructure/cert-manager/cloudflare-secret.enc.yaml",
                "gitops/apps/base/postgresql/secret.enc.yaml",
                "gitops/apps/base/redis/secret.enc.yaml",
                "gitops/apps/base/authentik/secret.enc.yaml");
        assertThat(docs).extracting(DocumentedSecret::name).containsExactlyInAnyOrder(
                "cloudflare-api-token", "postgresql-credentials", "redis-credentials", "authentik-credentials");
        for (DocumentedSecret s : docs) assertThat(s.keys()).as(s.name()).isNotEmpty();
    }

    @Test
    void everySecretTheManifestsReferenceIsDocumentedWithItsKeys() {
        // every (Secret, key) referenced by name in a rendered manifest
        Set<String> referenced = new TreeSet<>();
        for (Path d : GitopsRepo.kustomizationDirs()) {
            for (JsonNode o : GitopsRepo.render(d)) collectSecretRefs(o, o.path("metadata").path("namespace").asText(""), referenced);
        }
        Set<String> documented = new TreeSet<>();
        for (DocumentedSecret s : documented()) for (String k : s.keys()) documented.add(s.namespace() + "/" + s.name() + ":" + k);
        assertThat(referenced).contains(
                "cert-manager/cloudflare-api-token:api-token",
                "database/postgresql-credentials:postgres-password",
                "database/postgresql-credentials:password",
                "cache/redis-credentials:redis-password",
                "auth/authentik-credentials:secret-key");
        assertThat(documented).containsAll(referenced);
    }

    /** Secret references in the forms this tree uses: secretKeyRef, *SecretRef {name,key}, Bitnami existingSecret. */
    static void collectSecretRefs(JsonNode n, String ns, Set<String> out) {
        if (n.isObject()) {
            if (n.has("kind") && n.path("kind").asText().equals("ClusterIssuer")) ns = "cert-manager";
            final String namespace = ns;
            n.fields().forEachRemaining(e -> {
                String f = e.getKey();
                JsonNode v = e.getValue();
                if ((f.equals("secretKeyRef") || f.endsWith("SecretRef")) && v.has("name") && v.has("key")) {
                    out.add(namespace + "/" + v.path("name").asText() + ":" + v.path("key").asText());
                }
                if (f.equals("existingSecret") && v.isTextual()) {
                    n.fields().forEachRemaining(s -> {
                        if (s.getKey().endsWith("Key") && s.getValue().isTextual()) out.add(namespace + "/" + v.asText() + ":" + s.getValue().asText());
                        if (s.getKey().equals("secretKeys")) s.getValue().fields().forEachRemaining(k -> out.add(namespace + "/" + v.asText() + ":" + k.getValue().asText()));
                    });
                }
                collectSecretRefs(v, namespace, out);
            });
        } else if (n.isArray()) {
            for (JsonNode c : n) collectSecretRefs(c, ns, out);
        }
    }

    /**
     * Plays `cluster-mgr secrets create` on a copy of the tree: writes each documented file (SOPS-shaped,
     * from real sops output) and adds it to its directory's kustomization. The result must build, place
     * every Secret with its documented name and namespace in what Flux applies, pass the secret checks,
     * and reach Flux unchanged: SOPS's MAC covers metadata too, so kustomize must not touch it.
     */
    @Test
    void secretsCreateContractHolds(@TempDir Path tmp) throws IOException {
        Path tree = copyTree(tmp);
        JsonNode real = GitopsRepo.readYaml(REAL_SOPS_SECRET).get(0);
        String enc = real.path("stringData").path("key").asText();
        List<ObjectNode> written = new ArrayList<>();
        for (DocumentedSecret s : documented()) {
            Path file = tmp.resolve(s.path());
            Path dir = file.getParent();
            assertThat(GitopsRepo.kustomizationFile(dir)).as("%s goes into a kustomization directory", s.path()).exists();
            ObjectNode secret = GitopsRepo.JSON.createObjectNode();
            secret.put("apiVersion", "v1").put("kind", "Secret");
            secret.putObject("metadata").put("name", s.name()).put("namespace", s.namespace());
            secret.put("type", "Opaque");
            ObjectNode data = secret.putObject("stringData");
            for (String k : s.keys()) data.put(k, enc);
            secret.set("sops", real.get("sops").deepCopy());
            Files.writeString(file, GitopsRepo.YAML.writeValueAsString(secret));
            written.add(secret);

            Path kzFile = GitopsRepo.kustomizationFile(dir);
            ObjectNode kz = (ObjectNode) GitopsRepo.readYaml(kzFile).get(0);
            ((ArrayNode) kz.withArray("resources")).add(file.getFileName().toString());
            Files.writeString(kzFile, GitopsRepo.YAML.writeValueAsString(kz));
        }
        assertThat(SopsSecretCheck.scan(tree)).isEmpty();

        // what the Flux Kustomizations apply, rendered from the modified copy
        List<JsonNode> applied = new ArrayList<>();
        for (String path : List.of("infrastructure", "apps/overlays/production")) {
            GitopsRepo.Result r = GitopsRepo.run(tmp, "kubectl", "kustomize", tree.resolve(path).toString());
            assertThat(r.code()).as("build %s with the secrets added:%n%s", path, r.err()).isZero();
            applied.addAll(GitopsRepo.parseYaml(r.out()));
        }
        for (ObjectNode w : written) {
            String name = w.path("metadata").path("name").asText();
            JsonNode got = applied.stream()
                    .filter(SopsSecretCheck::isSecret)
                    .filter(o -> o.path("metadata").path("name").asText().equals(name))
                    .findFirst().orElseThrow(() -> new AssertionError("Secret " + name + " is not applied by any Flux Kustomization"));
            assertThat(got).as("Secret %s reaches Flux exactly as written (no kustomize change under the MAC)", name).isEqualTo(w);
            assertThat(Schemas.validate(got)).isEmpty();
        }
    }

    static Path copyTree(Path tmp) throws IOException {
        Path src = GitopsRepo.gitops();
        Path dst = tmp.resolve("gitops");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dst;
    }
}
