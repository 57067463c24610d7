package dev.kubani.gitopstests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Flux wiring: sync, ordering, pruning, decryption, health checks, optional monitoring. */
class FluxStructureTest {

    static final Path FLUX_SYSTEM = GitopsRepo.gitops().resolve("flux-system");
    static final Path OPTIONAL = FLUX_SYSTEM.resolve("optional");

    static Map<String, JsonNode> fluxKustomizations() {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (Path d : List.of(FLUX_SYSTEM, OPTIONAL)) {
            for (JsonNode o : GitopsRepo.render(d)) {
                if (o.path("kind").asText().equals("Kustomization")
                        && o.path("apiVersion").asText().startsWith("kustomize.toolkit.fluxcd.io/")) {
                    assertThat(m.put(o.path("metadata").path("name").asText(), o)).as("duplicate Flux Kustomization").isNull();
                }
            }
        }
        return m;
    }

    static Duration goDuration(String s) {
        Matcher m = Pattern.compile("(\\d+)(h|m|s)").matcher(s);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).as("duration %s", s).isEqualTo(end);
            end = m.end();
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
        }
        assertThat(end).as("'%s' is a Go duration", s).isEqualTo(s.length()).isPositive();
        return d;
    }

    static JsonNode find(List<JsonNode> objs, String kind, String name) {
        return objs.stream()
                .filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void gotkSyncWatchesThisRepositoryEveryMinuteAndPrunes() {
        List<JsonNode> objs = GitopsRepo.readYaml(FLUX_SYSTEM.resolve("gotk-sync.yaml"));
        JsonNode repo = find(objs, "GitRepository", "flux-system");
        assertThat(repo.path("apiVersion").asText()).isEqualTo("source.toolkit.fluxcd.io/v1");
        assertThat(goDuration(repo.path("spec").path("interval").asText())).isEqualTo(Duration.ofMinutes(1));
        assertThat(repo.path("spec").path("url").asText()).isEqualTo("${GIT_REPOSITORY_URL}");
        assertThat(repo.path("spec").path("ref").path("branch").asText()).isEqualTo("${GIT_BRANCH}");

        JsonNode ks = find(objs, "Kustomization", "flux-system");
        assertThat(ks.path("apiVersion").asText()).isEqualTo("kustomize.toolkit.fluxcd.io/v1");
        assertThat(ks.path("spec").path("path").asText()).isEqualTo("./gitops/flux-system");
        assertThat(ks.path("spec").path("prune").asBoolean()).isTrue();
        assertThat(goDuration(ks.path("spec").path("interval").asText())).isEqualTo(Duration.ofMinutes(1));
        assertThat(ks.path("spec").path("sourceRef").path("name").asText()).isEqualTo("flux-system");
    }

    @Test
    void everyFluxKustomizationPrunesEveryMinuteWithATimeoutFromThisRepository() {
        Map<String, JsonNode> all = fluxKustomizations();
        assertThat(all.keySet()).contains("flux-system", "infrastructure", "infrastructure-issuers", "apps", "monitoring");
        all.forEach((name, k) -> {
            JsonNode spec = k.path("spec");
            assertThat(spec.path("prune").asBoolean(false)).as("%s prune", name).isTrue();
            assertThat(goDuration(spec.path("interval").asText())).as("%s interval", name).isEqualTo(Duration.ofMinutes(1));
            assertThat(spec.path("timeout").asText()).as("%s timeout", name).isNotEmpty();
            goDuration(spec.path("timeout").asText());
            assertThat(spec.path("sourceRef").path("kind").asText()).as("%s sourceRef", name).isEqualTo("GitRepository");
            assertThat(spec.path("sourceRef").path("name").asText()).as("%s sourceRef", name).isEqualTo("flux-system");
            String path = spec.path("path").asText();
            assertThat(path).as("%s path", name).startsWith("./gitops/");
            Path dir = GitopsRepo.root().resolve(path).normalize();
            assertThat(dir).as("%s path", name).isDirectory();
            assertThat(GitopsRepo.kustomizationFile(dir)).exists();
        });
    }

    @Test
    void everyKustomizationButTheRootDecryptsSopsWithTheSopsAgeSecret() {
        fluxKustomizations().forEach((name, k) -> {
            if (name.equals("flux-system")) return;
            JsonNode dec = k.path("spec").path("decryption");
            assertThat(dec.path("provider").asText()).as("%s decryption.provider", name).isEqualTo("sops");
            assertThat(dec.path("secretRef").path("name").asText()).as("%s decryption.secretRef", name).isEqualTo("sops-age");
        });
    }

    @Test
    void infrastructureIsAppliedBeforeApps() {
        Map<String, JsonNode> all = fluxKustomizations();
        assertThat(dependsOn(all.get("apps"))).contains("infrastructure", "infrastructure-issuers");
        assertThat(dependsOn(all.get("infrastructure-issuers"))).contains("infrastructure");
        assertThat(dependsOn(all.get("infrastructure"))).isEmpty();
        assertThat(all.get("apps").path("spec").path("path").asText()).isEqualTo("./gitops/apps/overlays/production");
        assertThat(all.get("infrastructure").path("spec").path("path").asText()).isEqualTo("./gitops/infrastructure");
        // every dependency exists, and the graph has no cycle
        Map<String, Set<String>> graph = new HashMap<>();
        all.forEach((n, k) -> graph.put(n, new HashSet<>(dependsOn(k))));
        graph.forEach((n, deps) -> assertThat(all.keySet()).as("dependencies of %s", n).containsAll(deps));
        Set<String> done = new HashSet<>();
        while (done.size() < graph.size()) {
            List<String> ready = graph.entrySet().stream()
                    .filter(e -> !done.contains(e.getKey()) && done.containsAll(e.getValue()))
                    .map(Map.Entry::getKey).toList();
            assertThat(ready).as("dependency cycle among %s", graph).isNotEmpty();
            done.addAll(ready);
        }
    }

    static List<String> dependsOn(JsonNode k) {
        List<String> l = new ArrayList<>();
        k.path("spec").path("dependsOn").forEach(d -> l.add(d.path("name").asText()));
        return l;
    }

    @Test
    void healthChecksPointAtObjectsTheKustomizationReallyApplies() {
        Map<String, JsonNode> all = fluxKustomizations();
        for (String name : List.of("infrastructure", "infrastructure-issuers", "apps", "monitoring")) {
            JsonNode k = all.get(name);
            JsonNode checks = k.path("spec").path("healthChecks");
            assertThat(checks.size()).as("%s has health checks", name).isPositive();
            List<JsonNode> rendered = GitopsRepo.render(GitopsRepo.root().resolve(k.path("spec").path("path").asText()).normalize());
            for (JsonNode c : checks) {
                boolean present = rendered.stream().anyMatch(o ->
                        o.path("apiVersion").asText().equals(c.path("apiVersion").asText())
                                && o.path("kind").asText().equals(c.path("kind").asText())
                                && o.path("metadata").path("name").asText().equals(c.path("name").asText())
                                && o.path("metadata").path("namespace").asText("").equals(c.path("namespace").asText("")));
                assertThat(present).as("%s health check %s is applied by that Kustomization", name, c).isTrue();
            }
        }
    }

    @Test
    void theRootAppliesTheInfrastructureAndAppsKustomizationsButNotTheOptionalOnes() {
        JsonNode kz = GitopsRepo.kustomization(FLUX_SYSTEM);
        List<String> res = new ArrayList<>();
        kz.path("resources").forEach(r -> res.add(r.asText()));
        assertThat(res).contains("gotk-sync.yaml", "cluster-settings.yaml", "infrastructure.yaml", "apps.yaml");
        assertThat(res).noneMatch(r -> r.contains("optional") || r.contains("monitoring"));
        List<String> names = GitopsRepo.render(FLUX_SYSTEM).stream()
                .filter(o -> o.path("kind").asText().equals("Kustomization"))
                .map(o -> o.path("metadata").path("name").asText()).toList();
        assertThat(names).containsExactlyInAnyOrder("flux-system", "infrastructure", "infrastructure-issuers", "apps");
    }

    @Test
    void gotkComponentsIsGeneratedNeverHandWritten() {
        Path comp = FLUX_SYSTEM.resolve("gotk-components.yaml");
        JsonNode kz = GitopsRepo.kustomization(FLUX_SYSTEM);
        List<String> res = new ArrayList<>();
        kz.path("resources").forEach(r -> res.add(r.asText()));
        if (Files.exists(comp)) {
            // `flux install --export` starts its output with this header.
            assertThat(GitopsRepo.read(comp).lines().limit(5).anyMatch(l -> l.startsWith("# Flux Version:")))
                    .as("gotk-components.yaml must be the output of `flux install --export`").isTrue();
            assertThat(res).as("generated gotk-components.yaml must be applied").contains("gotk-components.yaml");
        } else {
            assertThat(res).as("kustomization.yaml lists gotk-components.yaml, which is not generated yet")
                    .doesNotContain("gotk-components.yaml");
        }
        String readme = GitopsRepo.read(GitopsRepo.gitops().resolve("README.md"));
        assertThat(readme).contains("flux install --export > gitops/flux-system/gotk-components.yaml");
    }

    @Test
    void monitoringIsAnOptionalKustomizationWithTheWholeStack() {
        JsonNode mon = fluxKustomizations().get("monitoring");
        assertThat(dependsOn(mon)).contains("infrastructure");
        assertThat(mon.path("spec").path("path").asText()).isEqualTo("./gitops/infrastructure/monitoring");
        List<JsonNode> objs = GitopsRepo.render(GitopsRepo.gitops().resolve("infrastructure/monitoring"));
        JsonNode kps = find(objs, "HelmRelease", "kube-prometheus-stack");
        JsonNode v = kps.path("spec").path("values");
        assertThat(v.path("grafana").path("enabled").asBoolean()).isTrue();
        assertThat(v.path("nodeExporter").path("enabled").asBoolean()).isTrue();
        assertThat(v.path("kubeStateMetrics").path("enabled").asBoolean()).isTrue();
        assertThat(v.path("prometheus").path("prometheusSpec").isObject()).isTrue();
        find(objs, "HelmRelease", "loki");
        find(objs, "HelmRelease", "promtail");
        // the infrastructure Kustomization itself does not pull the stack in
        assertThat(GitopsRepo.render(GitopsRepo.gitops().resolve("infrastructure")))
                .noneMatch(o -> o.path("metadata").path("namespace").asText().equals("monitoring"));
    }

    @Test
    void traefikGetsTcpEntryPointsForPostgresqlAndRedisNextToWebsecure() {
        List<JsonNode> objs = GitopsRepo.render(GitopsRepo.gitops().resolve("infrastructure"));
        JsonNode hcc = find(objs, "HelmChartConfig", "traefik");
        assertThat(hcc.path("apiVersion").asText()).isEqualTo("helm.cattle.io/v1");
        assertThat(hcc.path("metadata").path("namespace").asText()).isEqualTo("kube-system");
        JsonNode values = GitopsRepo.parseYaml(hcc.path("spec").path("valuesContent").asText()).get(0);
        JsonNode ports = values.path("ports");
        assertThat(ports.has("websecure")).isTrue();
        assertThat(ports.path("postgresql").path("port").asInt()).isEqualTo(5432);
        assertThat(ports.path("postgresql").path("exposedPort").asInt()).isEqualTo(5432);
        assertThat(ports.path("postgresql").path("protocol").asText()).isEqualTo("TCP");
        assertThat(ports.path("redis").path("port").asInt()).isEqualTo(6379);
        assertThat(ports.path("redis").path("exposedPort").asInt()).isEqualTo(6379);
        assertThat(ports.path("redis").path("protocol").asText()).isEqualTo("TCP");
        // and the TCP routes use exactly these entry points
        List<JsonNode> apps = GitopsRepo.render(GitopsRepo.gitops().resolve("apps/overlays/production"));
        assertThat(find(apps, "IngressRouteTCP", "postgresql-tcp").path("spec").path("entryPoints").get(0).asText()).isEqualTo("postgresql");
        assertThat(find(apps, "IngressRouteTCP", "redis-tcp").path("spec").path("entryPoints").get(0).asText()).isEqualTo("redis");
        JsonNode auth = find(apps, "IngressRoute", "authentik");
        assertThat(auth.path("spec").path("entryPoints").get(0).asText()).isEqualTo("websecure");
        assertThat(auth.path("spec").path("tls").path("secretName").asText()).isEqualTo("authentik-tls");
        JsonNode cert = find(apps, "Certificate", "authentik-tls");
        assertThat(cert.path("metadata").path("namespace").asText()).isEqualTo("auth");
    }

    @Test
    void clusterIssuersUseCloudflareDns01ForStagingAndProd() {
        List<JsonNode> objs = GitopsRepo.render(GitopsRepo.gitops().resolve("infrastructure/issuers"));
        for (String n : List.of("letsencrypt-staging", "letsencrypt-prod")) {
            JsonNode acme = find(objs, "ClusterIssuer", n).path("spec").path("acme");
            assertThat(acme.path("server").asText()).as(n).contains(n.endsWith("staging") ? "acme-staging-v02" : "acme-v02");
            assertThat(acme.path("email").asText()).isEqualTo("${ACME_EMAIL}");
            JsonNode cf = acme.path("solvers").get(0).path("dns01").path("cloudflare").path("apiTokenSecretRef");
            assertThat(cf.path("name").asText()).isEqualTo("cloudflare-api-token");
            assertThat(cf.path("key").asText()).isEqualTo("api-token");
        }
    }

    @Test
    void helmRepositoriesLiveInSources() {
        for (Path d : GitopsRepo.kustomizationDirs()) {
            if (d.endsWith("sources") || GitopsRepo.isComponent(d)) continue;
            // directories that include sources/ (infrastructure) render them; all others must not define any
            if (d.equals(GitopsRepo.gitops().resolve("infrastructure"))) continue;
            assertThat(GitopsRepo.render(d)).as("%s defines HelmRepositories outside sources/", GitopsRepo.rel(d))
                    .noneMatch(o -> o.path("kind").asText().equals("HelmRepository"));
        }
    }
}
