package dev.kubani.gitopstests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every object that {@code kubectl kustomize} renders from gitops/ (after Flux's substitution of
 * cluster-settings) validates against ../shared/schemas, and uses current GA apiVersions.
 */
class SchemaValidationTest {

    /** The API versions Kubani uses for each toolkit group; anything else is deprecated or unknown. */
    static final Map<String, String> FLUX_GA = Map.of(
            "source.toolkit.fluxcd.io", "source.toolkit.fluxcd.io/v1",
            "kustomize.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io/v1",
            "helm.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io/v2");

    static List<Path> dirs() {
        return GitopsRepo.kustomizationDirs();
    }

    @Test
    void schemasArePresent() {
        assertThat(GitopsRepo.schemas().resolve("kubernetes-v1.32.2"))
                .as("schemas are read from kubani.shared=%s (never copied into the repo)", GitopsRepo.shared())
                .isDirectory();
        assertThat(GitopsRepo.schemas().resolve("crds")).isDirectory();
        assertThat(GitopsRepo.schemas().resolve("flux-crds")).isDirectory();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dirs")
    void everyRenderedObjectValidates(Path dir) {
        List<String> problems = new ArrayList<>();
        for (JsonNode o : GitopsRepo.renderSubstituted(dir)) {
            for (String p : Schemas.validate(o)) problems.add(GitopsRepo.id(o) + ": " + p);
        }
        assertThat(problems).as("schema problems in %s", GitopsRepo.rel(dir)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dirs")
    void fluxObjectsUseCurrentGaApiVersions(Path dir) {
        List<String> wrong = new ArrayList<>();
        for (JsonNode o : GitopsRepo.render(dir)) {
            String av = o.path("apiVersion").asText();
            String group = av.contains("/") ? av.substring(0, av.indexOf('/')) : "";
            if (group.endsWith(".toolkit.fluxcd.io") && !av.equals(FLUX_GA.get(group))) {
                wrong.add(GitopsRepo.id(o) + " (use " + FLUX_GA.getOrDefault(group, "a GA version") + ")");
            }
            if (group.equals("traefik.containo.us")) wrong.add(GitopsRepo.id(o) + " (use traefik.io/v1alpha1)");
            if (av.matches(".*/v\\d+beta\\d+") && !Schemas.known(av, o.path("kind").asText())) {
                wrong.add(GitopsRepo.id(o) + " (beta API)");
            }
        }
        assertThat(wrong).as("objects in %s with deprecated or unknown apiVersions", GitopsRepo.rel(dir)).isEmpty();
    }

    @Test
    void noSourceFileMentionsADeprecatedFluxApi() {
        List<String> hits = new ArrayList<>();
        for (Path f : GitopsRepo.yamlFiles()) {
            String text = GitopsRepo.read(f);
            for (String bad : List.of("toolkit.fluxcd.io/v1beta", "toolkit.fluxcd.io/v2beta", "traefik.containo.us")) {
                if (text.contains(bad)) hits.add(GitopsRepo.rel(f) + " mentions " + bad);
            }
        }
        assertThat(hits).isEmpty();
    }

    @Test
    void theValidatorRejectsWhatItShould() {
        // A typo in a Flux field, a wrong type in a core kind and an unknown kind must all be caught,
        // or the green tests above would prove nothing.
        JsonNode typo = GitopsRepo.parseYaml("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: x, namespace: flux-system}
                spec:
                  interval: 1m
                  prune: true
                  sourceRef: {kind: GitRepository, name: flux-system}
                  dependOn: [{name: infrastructure}]
                """).get(0);
        assertThat(Schemas.validate(typo)).anyMatch(p -> p.contains("dependOn"));

        JsonNode badType = GitopsRepo.parseYaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: "two"
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec: {containers: [{name: c, image: i, imagePullPolicy: Always, portz: []}]}
                """).get(0);
        List<String> p = Schemas.validate(badType);
        assertThat(p).anyMatch(s -> s.contains("replicas"));
        assertThat(p).anyMatch(s -> s.contains("portz"));

        JsonNode unknown = GitopsRepo.parseYaml("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: x}
                """).get(0);
        assertThat(Schemas.validate(unknown)).anyMatch(s -> s.contains("no schema"));

        JsonNode crdTopLevel = GitopsRepo.parseYaml("""
                apiVersion: traefik.io/v1alpha1
                kind: IngressRouteTCP
                metadata: {name: x}
                spec: {entryPoints: [redis], routes: [{match: "HostSNI(`*`)", services: [{name: redis, port: 6379}]}]}
                specs: {}
                """).get(0);
        assertThat(Schemas.validate(crdTopLevel)).anyMatch(s -> s.contains("specs"));
    }

    @Test
    void noSchemaIsCopiedIntoTheRepository() {
        assertThat(Files.exists(GitopsRepo.root().resolve("gitops-tests/src/test/resources/schemas"))).isFalse();
    }
}
