package dev.kubani.gitopstests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property 16: Application directory isolation. For any set of applications in the GitOps
 * repository, each application is organized in a separate directory to maintain isolation.
 */
@DisplayName("Property 16: Application directory isolation")
class ApplicationIsolationTest {

    static final Path BASE = GitopsRepo.gitops().resolve("apps/base");
    static final Path SHARED_COMPONENTS = GitopsRepo.gitops().resolve("infrastructure/networking");
    static final int CASES = 100;

    static List<Path> apps() {
        try (Stream<Path> s = Files.list(BASE)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** What one app renders, keyed by object identity. */
    static Map<String, JsonNode> objectsOf(Path app) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode o : GitopsRepo.render(app)) {
            assertThat(m.put(key(o), o)).as("%s renders %s twice", app.getFileName(), key(o)).isNull();
        }
        return m;
    }

    /** Identity without apiVersion, as kustomize and the API server see it. */
    static String key(JsonNode o) {
        return o.path("kind").asText() + " " + o.path("metadata").path("namespace").asText("") + "/" + o.path("metadata").path("name").asText();
    }

    @Test
    @DisplayName("Property 16: apps/base holds one directory per application and nothing else")
    void onlyAppDirectories() throws IOException {
        try (Stream<Path> s = Files.list(BASE)) {
            List<Path> loose = s.filter(p -> !Files.isDirectory(p) && !p.getFileName().toString().equals("README.md")).toList();
            assertThat(loose).as("loose files in apps/base").isEmpty();
        }
        assertThat(apps()).hasSizeGreaterThanOrEqualTo(8);
        for (Path app : apps()) {
            assertThat(GitopsRepo.kustomizationFile(app)).as("%s has a kustomization", app).exists();
            assertThat(GitopsRepo.isComponent(app)).isFalse();
        }
    }

    @Test
    @DisplayName("Property 16: an app's kustomization uses only its own files (plus shared networking components)")
    void selfContained() {
        for (Path app : apps()) {
            JsonNode kz = GitopsRepo.kustomization(app);
            for (String field : List.of("resources", "patchesStrategicMerge", "configMapGenerator", "crds")) {
                for (JsonNode r : kz.path(field)) {
                    Path p = app.resolve(r.asText()).normalize();
                    assertThat(p.startsWith(app)).as("%s: %s '%s' is outside the app directory", app.getFileName(), field, r.asText()).isTrue();
                }
            }
            for (JsonNode p : kz.path("patches")) {
                if (p.has("path")) assertThat(app.resolve(p.path("path").asText()).normalize().startsWith(app)).isTrue();
            }
            for (JsonNode c : kz.path("components")) {
                Path p = app.resolve(c.asText()).normalize();
                assertThat(p.startsWith(SHARED_COMPONENTS)).as("%s: component %s is not a shared networking component", app.getFileName(), c.asText()).isTrue();
            }
            assertThat(kz.has("secretGenerator")).isFalse();
        }
    }

    @Test
    @DisplayName("Property 16: each app lives in namespaces of its own, and no two apps define the same object")
    void disjointNamespacesAndObjects() {
        Map<String, String> namespaceOwner = new HashMap<>();
        Map<String, String> objectOwner = new HashMap<>();
        for (Path app : apps()) {
            String name = app.getFileName().toString();
            Map<String, JsonNode> objs = objectsOf(app);
            Set<String> own = objs.values().stream().filter(o -> o.path("kind").asText().equals("Namespace"))
                    .map(o -> o.path("metadata").path("name").asText()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(own).as("%s creates its namespace", name).isNotEmpty();
            for (String ns : own) {
                String prev = namespaceOwner.put(ns, name);
                assertThat(prev).as("namespace %s is created by both %s and %s", ns, prev, name).isNull();
            }
            for (JsonNode o : objs.values()) {
                String ns = o.path("metadata").path("namespace").asText("");
                if (!o.path("kind").asText().equals("Namespace")) {
                    assertThat(ns).as("%s: %s must be namespaced in the app's own namespace", name, key(o)).isIn(own);
                }
                String prev = objectOwner.put(key(o), name);
                assertThat(prev).as("%s is defined by both %s and %s", key(o), prev, name).isNull();
            }
        }
    }

    @Test
    @DisplayName("Property 16: the production overlay picks whole app directories, each once")
    void overlayPicksWholeApps() {
        Path overlay = GitopsRepo.gitops().resolve("apps/overlays/production");
        List<String> res = new ArrayList<>();
        GitopsRepo.kustomization(overlay).path("resources").forEach(r -> res.add(r.asText()));
        Set<Path> picked = new HashSet<>();
        for (String r : res) {
            Path p = overlay.resolve(r).normalize();
            assertThat(p.getParent()).as("overlay resource %s is an app directory under apps/base", r).isEqualTo(BASE);
            assertThat(picked.add(p)).as("%s listed twice", r).isTrue();
        }
        // every object in production comes from exactly one of the picked apps
        Map<String, String> owner = new HashMap<>();
        for (Path app : picked) objectsOf(app).keySet().forEach(k -> owner.put(k, app.getFileName().toString()));
        for (JsonNode o : GitopsRepo.render(overlay)) {
            assertThat(owner).as("production object %s comes from an app directory", key(o)).containsKey(key(o));
        }
    }

    @Test
    @DisplayName("Property 16: for any set of applications, composing them keeps each one's objects intact and apart")
    void anySubsetComposes() throws IOException {
        long seed = Long.getLong("kubani.seed", System.nanoTime());
        Random rnd = new Random(seed);
        List<Path> apps = apps();
        Map<Path, Set<String>> own = new LinkedHashMap<>();
        for (Path a : apps) own.put(a, objectsOf(a).keySet());
        Path work = GitopsRepo.root().resolve("gitops-tests/target/property16");
        Files.createDirectories(work);
        Set<Set<Path>> seen = new HashSet<>();
        int built = 0;
        for (int i = 0; i < CASES; i++) {
            List<Path> subset = new ArrayList<>();
            for (Path a : apps) if (rnd.nextBoolean()) subset.add(a);
            if (subset.isEmpty()) subset.add(apps.get(rnd.nextInt(apps.size())));
            java.util.Collections.shuffle(subset, rnd);
            Set<String> expected = new TreeSet<>();
            for (Path a : subset) expected.addAll(own.get(a));
            if (!seen.add(new HashSet<>(subset))) {
                // same set already built: the expectation still has to be a disjoint union
                assertThat(expected).hasSize(subset.stream().mapToInt(a -> own.get(a).size()).sum());
                continue;
            }
            Path dir = work.resolve("case-" + i);
            Files.createDirectories(dir);
            StringBuilder kz = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
            for (Path a : subset) kz.append("  - ").append(dir.relativize(a)).append('\n');
            Files.writeString(dir.resolve("kustomization.yaml"), kz.toString());
            GitopsRepo.Result r = GitopsRepo.run(GitopsRepo.root(), "kubectl", "kustomize", dir.toString());
            String names = subset.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(","));
            assertThat(r.code()).as("seed %d case %d: apps {%s} do not compose:%n%s", seed, i, names, r.err()).isZero();
            List<String> got = GitopsRepo.parseYaml(r.out()).stream().map(ApplicationIsolationTest::key).sorted().toList();
            assertThat(got).as("seed %d case %d: apps {%s}", seed, i, names).containsExactlyElementsOf(expected);
            built++;
        }
        assertThat(built).isPositive();
    }
}
