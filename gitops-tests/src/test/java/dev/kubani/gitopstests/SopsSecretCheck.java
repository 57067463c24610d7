package dev.kubani.gitopstests;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What "this Secret is SOPS-encrypted the way Flux expects" means, checked structurally. */
final class SopsSecretCheck {

    static final Pattern ENC = Pattern.compile(
            "ENC\\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:(str|int|float|bool|bytes|time|comment)]");
    /** age X25519 recipient: "age1" + 58 bech32 characters. */
    static final Pattern AGE_RECIPIENT = Pattern.compile("age1[02-9ac-hj-np-z]{58}");

    private SopsSecretCheck() {}

    static boolean isSecret(JsonNode doc) {
        return doc != null && "Secret".equals(doc.path("kind").asText()) && "v1".equals(doc.path("apiVersion").asText());
    }

    /** Problems with one Secret document; empty when it is properly encrypted. */
    static List<String> problems(JsonNode secret) {
        List<String> p = new ArrayList<>();
        String name = secret.path("metadata").path("name").asText("(unnamed)");
        JsonNode sops = secret.path("sops");
        if (!sops.isObject()) {
            p.add("Secret " + name + " has no sops: block (plaintext)");
        } else {
            JsonNode age = sops.path("age");
            if (!age.isArray() || age.isEmpty()) {
                p.add("Secret " + name + ": sops.age lists no age recipient");
            }
            for (JsonNode a : age) {
                if (!AGE_RECIPIENT.matcher(a.path("recipient").asText()).matches()) {
                    p.add("Secret " + name + ": '" + a.path("recipient").asText() + "' is not an age recipient");
                }
                if (!a.path("enc").asText().contains("-----BEGIN AGE ENCRYPTED FILE-----")) {
                    p.add("Secret " + name + ": the data key is not age-encrypted for " + a.path("recipient").asText());
                }
            }
            if (!ENC.matcher(sops.path("mac").asText()).matches()) p.add("Secret " + name + ": sops.mac is missing or not encrypted");
            if (sops.path("lastmodified").asText().isEmpty()) p.add("Secret " + name + ": sops.lastmodified is missing");
            if (!"^(data|stringData)$".equals(sops.path("encrypted_regex").asText())) {
                p.add("Secret " + name + ": sops.encrypted_regex is not ^(data|stringData)$ (see .sops.yaml)");
            }
        }
        int values = 0;
        for (String section : List.of("data", "stringData")) {
            JsonNode s = secret.path(section);
            if (s.isMissingNode() || s.isNull()) continue;
            if (!s.isObject()) {
                p.add("Secret " + name + ": " + section + " is not a map");
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                values++;
                String v = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
                if (v.isEmpty()) continue; // sops leaves empty strings alone
                if (!ENC.matcher(v).matches()) p.add("Secret " + name + ": " + section + "." + e.getKey() + " is plaintext");
            }
        }
        if (values == 0 && p.isEmpty()) p.add("Secret " + name + " has no data or stringData");
        return p;
    }

    /** Problems of every Secret in every YAML file under dir. */
    static List<String> scan(Path dir) {
        List<String> p = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile)
                    .filter(x -> x.toString().endsWith(".yaml") || x.toString().endsWith(".yml") || x.toString().endsWith(".json"))
                    .sorted().toList()) {
                for (JsonNode doc : GitopsRepo.readYaml(f)) {
                    if (isSecret(doc)) for (String q : problems(doc)) p.add(dir.relativize(f) + ": " + q);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Every file under dir that holds a Secret. */
    static List<Path> secretFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(x -> x.toString().endsWith(".yaml") || x.toString().endsWith(".yml"))
                    .filter(f -> GitopsRepo.readYaml(f).stream().anyMatch(SopsSecretCheck::isSecret))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
