package dev.kubani.gitopstests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Validates rendered objects against ../shared/schemas:
 * <ul>
 *   <li>core kinds: kubernetes-v1.32.2 (standalone-strict JSON Schema);</li>
 *   <li>custom resources: crds/ (datreeio catalog), plus a strict check of the top-level keys, which
 *       those schemas leave open;</li>
 *   <li>Flux kinds, in addition: the openAPIV3Schema of the upstream CRD in flux-crds/, made strict
 *       the way the API server prunes (unknown fields rejected unless x-kubernetes-preserve-unknown-fields).</li>
 * </ul>
 */
final class Schemas {

    /**
     * Kinds that have no schema in ../shared/schemas but may legitimately appear (Flux's own
     * controllers, once gotk-components.yaml is generated). They are still checked: apiVersion and
     * kind must be exactly these, and metadata.name must be set.
     */
    static final Set<String> KNOWN_WITHOUT_SCHEMA = Set.of(
            "apiextensions.k8s.io/v1 CustomResourceDefinition",
            "v1 ServiceAccount",
            "v1 ResourceQuota",
            "rbac.authorization.k8s.io/v1 ClusterRole",
            "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
            "rbac.authorization.k8s.io/v1 Role",
            "rbac.authorization.k8s.io/v1 RoleBinding");

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            // int32/int64/byte are OpenAPI formats; the types are what matters here.
            .formatAssertionsEnabled(false)
            .build();
    private static final Map<String, Optional<JsonSchema>> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Optional<JsonNode>> RAW = new ConcurrentHashMap<>();

    private Schemas() {}

    static Path coreSchemaFile(String apiVersion, String kind) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String g = group.isEmpty() ? "" : "-" + group.split("\\.")[0];
        return GitopsRepo.schemas().resolve("kubernetes-v1.32.2")
                .resolve(kind.toLowerCase(Locale.ROOT) + g + "-" + version + ".json");
    }

    static Path crdSchemaFile(String apiVersion, String kind) {
        if (!apiVersion.contains("/")) return null;
        String group = apiVersion.substring(0, apiVersion.indexOf('/'));
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        return GitopsRepo.schemas().resolve("crds")
                .resolve(group + "_" + kind.toLowerCase(Locale.ROOT) + "_" + version + ".json");
    }

    /** Does some schema (or the known-without-schema list) cover this apiVersion + kind? */
    static boolean known(String apiVersion, String kind) {
        return Files.isRegularFile(coreSchemaFile(apiVersion, kind))
                || (crdSchemaFile(apiVersion, kind) != null && Files.isRegularFile(crdSchemaFile(apiVersion, kind)))
                || KNOWN_WITHOUT_SCHEMA.contains(apiVersion + " " + kind);
    }

    /** Problems with one object; empty when it validates. */
    static List<String> validate(JsonNode object) {
        List<String> problems = new ArrayList<>();
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            problems.add("missing apiVersion or kind");
            return problems;
        }
        if (object.path("metadata").path("name").asText("").isEmpty()) {
            problems.add("metadata.name is missing");
        }
        ObjectNode obj = GitopsRepo.copy(object);
        if ("Secret".equals(kind) && obj.has("sops")) {
            // Flux decrypts and drops the sops block before applying; ENC[...] values are not base64.
            obj.remove("sops");
            obj.remove("data");
            obj.remove("stringData");
        }
        Path core = coreSchemaFile(apiVersion, kind);
        Path crd = crdSchemaFile(apiVersion, kind);
        boolean validated = false;
        if (Files.isRegularFile(core)) {
            validate("core " + core.getFileName(), schema(core, false), obj, problems);
            validated = true;
        }
        if (crd != null && Files.isRegularFile(crd)) {
            validate("crds/" + crd.getFileName(), schema(crd, false), obj, problems);
            JsonNode raw = raw(crd).orElseThrow();
            Set<String> allowed = new java.util.HashSet<>();
            raw.path("properties").fieldNames().forEachRemaining(allowed::add);
            obj.fieldNames().forEachRemaining(f -> {
                if (!allowed.contains(f)) problems.add("unknown top-level field '" + f + "' (allowed: " + allowed + ")");
            });
            validated = true;
        }
        Optional<JsonSchema> flux = fluxCrdSchema(apiVersion, kind);
        if (flux.isPresent()) {
            validate("flux-crds " + kind, flux, obj, problems);
            validated = true;
        }
        if (!validated && !KNOWN_WITHOUT_SCHEMA.contains(apiVersion + " " + kind)) {
            problems.add("no schema for " + apiVersion + " " + kind + " in " + GitopsRepo.schemas()
                    + " and not a known kind: add its schema to the test resources or fix the apiVersion");
        }
        return problems;
    }

    private static void validate(String what, Optional<JsonSchema> schema, JsonNode obj, List<String> problems) {
        Set<ValidationMessage> msgs = schema.orElseThrow().validate(obj);
        for (ValidationMessage m : msgs) problems.add(what + ": " + m.getMessage());
    }

    private static Optional<JsonNode> raw(Path f) {
        return RAW.computeIfAbsent(f.toString(), k -> {
            try {
                return Optional.of(GitopsRepo.JSON.readTree(f.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Optional<JsonSchema> schema(Path f, boolean unused) {
        return CACHE.computeIfAbsent("file:" + f, k -> {
            // The kubernetes-json-schema files declare "$schema": "http://json-schema.org/schema#"
            // (no version); they are draft 4, which is what the factory uses without it.
            ObjectNode s = GitopsRepo.copy(raw(f).orElseThrow());
            s.remove("$schema");
            return Optional.of(FACTORY.getSchema(s, CONFIG));
        });
    }

    /** openAPIV3Schema of a Flux CRD from flux-crds/, converted to a strict draft-4 schema. */
    static Optional<JsonSchema> fluxCrdSchema(String apiVersion, String kind) {
        return CACHE.computeIfAbsent("flux:" + apiVersion + " " + kind, k -> {
            Path dir = GitopsRepo.schemas().resolve("flux-crds");
            if (!Files.isDirectory(dir) || !apiVersion.contains("/")) return Optional.empty();
            String group = apiVersion.substring(0, apiVersion.indexOf('/'));
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    for (JsonNode crd : GitopsRepo.readYaml(f)) {
                        JsonNode spec = crd.path("spec");
                        if (!group.equals(spec.path("group").asText()) || !kind.equals(spec.path("names").path("kind").asText())) continue;
                        for (JsonNode v : spec.path("versions")) {
                            if (version.equals(v.path("name").asText())) {
                                JsonNode s = v.path("schema").path("openAPIV3Schema").deepCopy();
                                return Optional.of(FACTORY.getSchema(strict(s), CONFIG));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Optional.empty();
        });
    }

    /** Structural OpenAPI v3 (Kubernetes dialect) to a strict JSON Schema draft 4, in place. */
    static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode o) {
            boolean preserve = o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (o.path("x-kubernetes-int-or-string").asBoolean(false)) {
                o.remove("type");
                ArrayNode any = o.putArray("anyOf");
                any.addObject().put("type", "integer");
                any.addObject().put("type", "string");
            }
            if (o.path("nullable").asBoolean(false) && o.has("type") && o.get("type").isTextual()) {
                ArrayNode t = GitopsRepo.JSON.createArrayNode().add(o.get("type").asText()).add("null");
                o.set("type", t);
            }
            // metadata is validated by the API server's ObjectMeta, not by the CRD schema
            if (o.has("properties") && !o.has("additionalProperties") && !preserve) {
                o.put("additionalProperties", false);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                strict(it.next().getValue());
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(Schemas::strict);
        }
        return node;
    }
}
