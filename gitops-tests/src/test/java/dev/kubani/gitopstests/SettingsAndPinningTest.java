package dev.kubani.gitopstests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster settings live in one place (the cluster-settings ConfigMap, substituted by Flux), no
 * personal domain is hard-coded, and every Helm chart version is pinned.
 */
class SettingsAndPinningTest {

    /** The personal domain the seed documents use; it must appear nowhere in the tree. */
    static final String SEED_DOMAIN = "almckay.io";

    @Test
    void theSeedDomainIsReallyInTheSeedSoTheGrepBelowMeansSomething() throws Exception {
        Path seeds = GitopsRepo.shared().resolve("seeds");
        try (Stream<Path> s = Files.list(seeds)) {
            assertThat(s.anyMatch(f -> GitopsRepo.read(f).contains(SEED_DOMAIN))).isTrue();
        }
    }

    @Test
    void noPersonalDomainIsHardCoded() throws Exception {
        List<String> hits = new ArrayList<>();
        List<Path> roots = List.of(GitopsRepo.gitops(), GitopsRepo.root().resolve(".sops.yaml"),
                GitopsRepo.root().resolve("scripts/hooks"), GitopsRepo.root().resolve("docs/gitops.md"));
        for (Path root : roots) {
            if (!Files.exists(root)) continue;
            try (Stream<Path> s = Files.walk(root)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    String text = GitopsRepo.read(f);
                    if (text.toLowerCase().contains("almckay")) hits.add(GitopsRepo.rel(f));
                }
            }
        }
        assertThat(hits).as("files that hard-code the seed's personal domain").isEmpty();
    }

    @Test
    void everyHostnameAndTheAcmeEmailComeFromClusterSettings() {
        List<String> wrong = new ArrayList<>();
        for (Path d : GitopsRepo.kustomizationDirs()) {
            for (JsonNode o : GitopsRepo.render(d)) {
                String kind = o.path("kind").asText();
                if (kind.equals("Certificate")) {
                    o.path("spec").path("dnsNames").forEach(n -> {
                        if (!n.asText().endsWith(".${CLUSTER_DOMAIN}") && !n.asText().equals("${CLUSTER_DOMAIN}")) wrong.add(GitopsRepo.id(o) + " dnsName " + n.asText());
                    });
                }
                if (kind.equals("IngressRoute")) {
                    o.path("spec").path("routes").forEach(r -> {
                        Matcher m = Pattern.compile("Host\\(`([^`]*)`\\)").matcher(r.path("match").asText());
                        while (m.find()) if (!m.group(1).endsWith("${CLUSTER_DOMAIN}")) wrong.add(GitopsRepo.id(o) + " host " + m.group(1));
                    });
                }
                if (kind.equals("ClusterIssuer") && !o.path("spec").path("acme").path("email").asText().equals("${ACME_EMAIL}")) {
                    wrong.add(GitopsRepo.id(o) + " acme email");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void clusterSettingsIsTheOnePlaceAndDefinesEveryVariableUsed() {
        Map<String, String> settings = GitopsRepo.clusterSettings();
        assertThat(settings).containsKeys("CLUSTER_DOMAIN", "ACME_EMAIL", "GIT_REPOSITORY_URL", "GIT_BRANCH");
        assertThat(settings.get("CLUSTER_DOMAIN")).as("placeholder domain (RFC 2606)").matches("(.*\\.)?example\\.(com|org|net)");
        // Every variable any Flux Kustomization's manifests use is defined in cluster-settings, and every
        // Kustomization whose manifests use one substitutes from cluster-settings.
        FluxStructureTest.fluxKustomizations().forEach((name, k) -> {
            Path dir = GitopsRepo.root().resolve(k.path("spec").path("path").asText()).normalize();
            String out = GitopsRepo.build(dir).out();
            Set<String> used = new TreeSet<>();
            Matcher m = GitopsRepo.VAR.matcher(out);
            while (m.find()) used.add(m.group(1));
            if (used.isEmpty()) return;
            assertThat(settings.keySet()).as("variables used by Kustomization %s", name).containsAll(used);
            List<String> from = new ArrayList<>();
            k.path("spec").path("postBuild").path("substituteFrom").forEach(s -> from.add(s.path("kind").asText() + "/" + s.path("name").asText()));
            assertThat(from).as("%s uses %s, so it must substitute from cluster-settings", name, used).contains("ConfigMap/cluster-settings");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "v1.18.2", "2025.6.3", "0.17.1"})
    void pinnedVersionPatternAcceptsExactVersions(String v) {
        assertThat(isPinned(v)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "1.x", "^1.2.3", "~1.2", ">=1.0.0", "1.2", "1.2.*", "latest", "1.2.3 - 1.4", "6.29.x"})
    void pinnedVersionPatternRejectsRanges(String v) {
        assertThat(isPinned(v)).isFalse();
    }

    static boolean isPinned(String v) {
        return v.matches("v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    }

    @Test
    void everyHelmReleasePinsAnExactChartVersionFromAKnownRepository() {
        Set<String> repos = new TreeSet<>();
        for (JsonNode o : GitopsRepo.render(GitopsRepo.gitops().resolve("infrastructure/sources"))) {
            if (o.path("kind").asText().equals("HelmRepository")) {
                assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("flux-system");
                repos.add(o.path("metadata").path("name").asText());
            }
        }
        List<String> wrong = new ArrayList<>();
        int count = 0;
        for (Path d : GitopsRepo.kustomizationDirs()) {
            for (JsonNode o : GitopsRepo.render(d)) {
                if (!o.path("kind").asText().equals("HelmRelease")) continue;
                count++;
                JsonNode spec = o.path("spec").path("chart").path("spec");
                assertThat(o.path("spec").has("chartRef")).as("%s uses chart.spec, not chartRef", GitopsRepo.id(o)).isFalse();
                String v = spec.path("version").asText("");
                if (!isPinned(v)) wrong.add(GitopsRepo.id(o) + " version '" + v + "' is not pinned");
                JsonNode src = spec.path("sourceRef");
                if (!src.path("kind").asText().equals("HelmRepository") || !repos.contains(src.path("name").asText())
                        || !src.path("namespace").asText().equals("flux-system")) {
                    wrong.add(GitopsRepo.id(o) + " sourceRef " + src + " is not a HelmRepository of infrastructure/sources");
                }
                if (o.path("spec").path("install").path("remediation").path("retries").asInt(0) < 1) {
                    wrong.add(GitopsRepo.id(o) + " has no install remediation");
                }
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(8);
        assertThat(wrong).isEmpty();
    }

    @Test
    void substitutionFollowsFluxRules() {
        Map<String, String> vars = Map.of("A", "x");
        assertThat(GitopsRepo.substitute("${A}.${B:=d}.$${A}.$A", vars)).isEqualTo("x.d.$${A}.$A");
    }
}
