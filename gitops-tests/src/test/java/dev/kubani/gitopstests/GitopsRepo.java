package dev.kubani.gitopstests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The GitOps tree under test: where it is, its kustomization directories, and what
 * {@code kubectl kustomize} renders from them (built once per directory and cached).
 */
final class GitopsRepo {

    static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<Path, Build> BUILDS = new ConcurrentHashMap<>();
    private static volatile String kustomizeVersion;

    private GitopsRepo() {}

    static Path root() {
        String p = System.getProperty("kubani.repo.root");
        Path r = p != null ? Paths.get(p) : Paths.get("..");
        return r.toAbsolutePath().normalize();
    }

    static Path shared() {
        String p = System.getProperty("kubani.shared");
        Path s = p != null ? Paths.get(p) : root().resolve("../shared");
        return s.toAbsolutePath().normalize();
    }

    static Path gitops() {
        return root().resolve("gitops");
    }

    static Path schemas() {
        return shared().resolve("schemas");
    }

    static String rel(Path p) {
        return root().relativize(p.toAbsolutePath().normalize()).toString();
    }

    /** Every directory under gitops/ that holds a kustomization file. */
    static List<Path> kustomizationDirs() {
        try (Stream<Path> s = Files.walk(gitops())) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> isKustomizationFile(f.getFileName().toString()))
                    .map(Path::getParent)
                    .distinct()
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isKustomizationFile(String name) {
        return name.equals("kustomization.yaml") || name.equals("kustomization.yml") || name.equals("Kustomization");
    }

    static Path kustomizationFile(Path dir) {
        for (String n : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
            Path f = dir.resolve(n);
            if (Files.isRegularFile(f)) return f;
        }
        throw new IllegalArgumentException("no kustomization file in " + dir);
    }

    static JsonNode kustomization(Path dir) {
        return readYaml(kustomizationFile(dir)).get(0);
    }

    static boolean isComponent(Path dir) {
        return "Component".equals(kustomization(dir).path("kind").asText());
    }

    /** Every YAML file under gitops/. */
    static List<Path> yamlFiles() {
        try (Stream<Path> s = Files.walk(gitops())) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All documents of a YAML file (or string); empty documents are skipped. */
    static List<JsonNode> readYaml(Path f) {
        return parseYaml(read(f));
    }

    static List<JsonNode> parseYaml(String text) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) docs.add(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** Kustomize version that kubectl embeds, e.g. "5.5.0", or "" when it reports none. */
    static String kustomizeVersion() {
        if (kustomizeVersion == null) {
            Result r = run(root(), "kubectl", "version", "--client");
            Matcher m = Pattern.compile("Kustomize Version: v?([0-9][^\\s]*)").matcher(r.out);
            kustomizeVersion = m.find() ? m.group(1) : "";
        }
        return kustomizeVersion;
    }

    /** Fails with a message that says what to install when kubectl's Kustomize is older than v4. */
    static void requireKustomize4() {
        String v = kustomizeVersion();
        int major = v.isEmpty() ? 0 : Integer.parseInt(v.replaceAll("^(\\d+).*", "$1"));
        if (major < 4) {
            throw new AssertionError("gitops-tests need `kubectl kustomize` with Kustomize v4 or newer (kubectl >= 1.21); "
                    + "this kubectl reports Kustomize '" + (v.isEmpty() ? "none" : v) + "'. Debian bookworm's "
                    + "kubernetes-client (1.20) embeds Kustomize v2.0.3, which cannot build directories listed under "
                    + "resources:. Install a newer kubectl (see scripts/deps.d/gitops.sh).");
        }
    }

    /** {@code kubectl kustomize DIR}, cached. */
    static Build build(Path dir) {
        requireKustomize4();
        return BUILDS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            Result r = run(root(), "kubectl", "kustomize", d.toString());
            return new Build(d, r.code, r.out, r.err);
        });
    }

    /** Rendered objects with cluster-settings substituted, as Flux's postBuild would. */
    static List<JsonNode> renderSubstituted(Path dir) {
        Build b = build(dir);
        if (b.code != 0) throw new AssertionError("kubectl kustomize " + rel(dir) + " failed:\n" + b.err);
        return parseYaml(substitute(b.out, clusterSettings()));
    }

    static List<JsonNode> render(Path dir) {
        Build b = build(dir);
        if (b.code != 0) throw new AssertionError("kubectl kustomize " + rel(dir) + " failed:\n" + b.err);
        return parseYaml(b.out);
    }

    /** data of the ConfigMap flux-system/cluster-settings. */
    static Map<String, String> clusterSettings() {
        Path f = gitops().resolve("flux-system/cluster-settings.yaml");
        JsonNode cm = readYaml(f).get(0);
        Map<String, String> m = new LinkedHashMap<>();
        cm.path("data").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return Collections.unmodifiableMap(m);
    }

    /** Flux's variable syntax: ${NAME} or ${NAME:=default} / ${NAME:-default}; $${...} is an escape. */
    static final Pattern VAR = Pattern.compile("(?<!\\$)\\$\\{([_a-zA-Z][_a-zA-Z0-9]*)(?::[=-]([^}]*))?}");

    static String substitute(String text, Map<String, String> vars) {
        Matcher m = VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) v = m.group(2) != null ? m.group(2) : "";
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String id(JsonNode o) {
        String ns = o.path("metadata").path("namespace").asText("");
        return o.path("apiVersion").asText() + " " + o.path("kind").asText() + " "
                + (ns.isEmpty() ? "" : ns + "/") + o.path("metadata").path("name").asText();
    }

    static ObjectNode copy(JsonNode n) {
        return (ObjectNode) n.deepCopy();
    }

    static Result run(Path cwd, String... cmd) {
        return run(cwd, Map.of(), cmd);
    }

    static Result run(Path cwd, Map<String, String> env, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
            pb.environment().putAll(env);
            Path out = Files.createTempFile("kubani-out", ".txt");
            Path err = Files.createTempFile("kubani-err", ".txt");
            try {
                pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out: " + String.join(" ", cmd));
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e.getMessage()
                    + (cmd[0].equals("kubectl") ? " (install kubectl >= 1.21: scripts/deps.d/gitops.sh)" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Result(int code, String out, String err) {}

    record Build(Path dir, int code, String out, String err) {}
}
