package dev.kubani.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubani.testutil.Seeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The streaming pod decoder used for big lists ({@link PodStream}, through {@link SplitList})
 * against a plain Jackson tree decode, on random pods: odd types where strings, numbers and
 * arrays belong, missing and null fields, unicode and escapes, init containers, deletion
 * timestamps, shuffled field order, pretty-printed and ASCII-escaped JSON. The reference below is
 * the tree decoder as it was before the streaming decoder existed, kept here unchanged.
 */
class PodDecoderPropertyTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    @DisplayName("Decoder equivalence (what status --pods and the dashboard show, Properties 22-24): for any pod JSON the "
            + "streaming decoder gives the tree decoder's row")
    void streamingEqualsTree() {
        Seeds.forAll("streaming pod decoder = tree decoder", 300, rnd -> {
            List<JsonNode> pods = new ArrayList<>();
            int n = 1 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                pods.add(pod(rnd));
            }
            byte[] doc = list(pods, rnd);
            List<PodRow> rows = new ArrayList<>();
            try {
                KubeApi.parseList(rnd.nextBoolean() ? new ByteArrayInputStream(doc) : SplitListTest.trickle(doc, 1 + rnd.nextInt(64)),
                        KubeApi.POD_DECODER, rows::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertThat(rows).hasSize(pods.size());
            for (int i = 0; i < pods.size(); i++) {
                JsonNode reparsed = reparse(pods.get(i));
                PodRow want = reference(reparsed);
                assertSame(rows.get(i), want, pods.get(i));
                assertSame(Decoders.pod(reparsed), want, pods.get(i));
                assertSame(single(pods.get(i)), want, pods.get(i));
            }
        });
    }

    @Test
    @DisplayName("a repeated field counts once, with its last value, as in a JSON tree (labels keep their first place)")
    void repeatedFields() throws IOException {
        String pod = "{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\",\"labels\":{\"k\":\"1\",\"j\":\"2\",\"k\":\"3\"}},"
                + "\"metadata\":{\"name\":\"b\",\"labels\":{\"k\":\"1\",\"j\":\"2\",\"k\":\"3\"}},"
                + "\"spec\":{\"containers\":[{},{}],\"containers\":[{}],\"nodeName\":\"n1\"},"
                + "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,\"restartCount\":4,"
                + "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},\"state\":{\"running\":{}}}],"
                + "\"containerStatuses\":[{\"ready\":true,\"ready\":false,\"restartCount\":1,\"state\":{\"terminated\":"
                + "{\"exitCode\":3},\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}}]}}";
        PodRow want = reference(M.readTree(pod));
        assertSame(single(M.readTree(pod)), want, M.readTree(pod));
        PodRow got = streamed(pod.getBytes(StandardCharsets.UTF_8));
        assertSame(got, want, M.readTree(pod));
        assertThat(got.namespace()).isEqualTo("default");
        assertThat(got.name()).isEqualTo("b");
        assertThat(got.labels()).containsExactly("k", "3", "j", "2");
        assertThat(got.containers()).isEqualTo(1);
        assertThat(got.status()).isEqualTo("Completed");
        assertThat(got.ready()).isZero();
    }

    @Test
    @DisplayName("timestamps: the API server's form is read without a String, every other form as before")
    void timestamps() {
        String[] ts = {"2026-11-23T08:00:00Z", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-11-31T00:00:00Z", "2026-11-23T25:61:61Z", "0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2026-11-23T08:00:00.123Z", "2026-11-23T08:00:00+02:00",
            "+026-11-23T08:00:00Z", "2026x11x23T08:00:00Z", "2026-1a-23T08:00:00Z", "", "junk", "2026-11-23 08:00:00Z"};
        for (String t : ts) {
            char[] c = ("..." + t + "..").toCharArray();
            long fast = Decoders.epochSecondsUtc(c, 3, t.length());
            if (fast != Long.MIN_VALUE) {
                assertThat(fast).as(t).isEqualTo(Decoders.epochSeconds(t));
            }
        }
        assertThat(Decoders.epochSecondsUtc("2026-11-23T08:00:00Z".toCharArray(), 0, 20)).isNotEqualTo(Long.MIN_VALUE);
    }

    // ------------------------------------------------------------------ decoding helpers

    private static JsonNode reparse(JsonNode n) {
        try {
            return M.readTree(M.writeValueAsBytes(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One pod through PodStream on its own parser. */
    private static PodRow single(JsonNode pod) {
        try {
            return streamed(M.writeValueAsBytes(pod));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PodRow streamed(byte[] json) throws IOException {
        try (JsonParser p = M.getFactory().createParser(json)) {
            p.setCodec(M);
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            return new PodStream().read(p);
        }
    }

    private static void assertSame(PodRow got, PodRow want, JsonNode pod) {
        assertThat(got).as(pod::toString).usingRecursiveComparison().ignoringFields("labels").isEqualTo(want);
        assertThat(Arrays.asList(got.labels())).as(pod::toString).isEqualTo(Arrays.asList(want.labels()));
    }

    private static byte[] list(List<JsonNode> pods, Random rnd) {
        ObjectNode l = F.objectNode();
        l.put("kind", "PodList");
        l.put("apiVersion", "v1");
        l.putObject("metadata").put("resourceVersion", "" + rnd.nextInt(100000));
        l.putArray("items").addAll(pods);
        ObjectWriter w = rnd.nextBoolean() ? M.writerWithDefaultPrettyPrinter() : M.writer();
        if (rnd.nextInt(3) == 0) {
            w = w.with(JsonGenerator.Feature.ESCAPE_NON_ASCII);
        }
        try {
            return w.writeValueAsBytes(l);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ random pods

    private static final String[] NAMESPACES = {"default", "kube-system", "ns-1", "flux-system", "mönitoring", "a\"b"};
    private static final String[] PHASES = {"Pending", "Running", "Succeeded", "Failed", "Unknown", ""};
    private static final String[] REASONS = {"CrashLoopBackOff", "ImagePullBackOff", "ContainerCreating", "PodInitializing",
        "Completed", "Error", "OOMKilled", "Evicted", "NodeLost", "", "Ünïcode\u2603"};

    static JsonNode pod(Random r) {
        ObjectNode p = F.objectNode();
        List<Runnable> parts = new ArrayList<>();
        parts.add(() -> p.put("apiVersion", "v1"));
        parts.add(() -> p.put("kind", "Pod"));
        parts.add(() -> p.set("metadata", r.nextInt(30) == 0 ? odd(r) : metadata(r)));
        parts.add(() -> p.set("spec", r.nextInt(30) == 0 ? odd(r) : spec(r)));
        parts.add(() -> p.set("status", r.nextInt(30) == 0 ? odd(r) : status(r)));
        shuffleAndRun(parts, r, 2);
        return p;
    }

    private static ObjectNode metadata(Random r) {
        ObjectNode md = F.objectNode();
        List<Runnable> parts = new ArrayList<>();
        parts.add(() -> md.set("name", r.nextInt(15) == 0 ? odd(r) : F.textNode(text(r, 1 + r.nextInt(40)))));
        parts.add(() -> md.set("namespace", r.nextInt(12) == 0 ? odd(r) : F.textNode(NAMESPACES[r.nextInt(NAMESPACES.length)])));
        parts.add(() -> md.set("creationTimestamp", timestamp(r)));
        parts.add(() -> md.put("uid", "u-" + r.nextLong()));
        parts.add(() -> md.put("resourceVersion", "" + r.nextInt(1 << 20)));
        parts.add(() -> md.set("managedFields", deep(r, 4)));
        parts.add(() -> md.set("annotations", F.objectNode().put("kubectl.kubernetes.io/last-applied-configuration",
                "{\"items\":[{\"x\":\"}\\\"\"}]}")));
        if (r.nextInt(4) == 0) {
            parts.add(() -> md.set("deletionTimestamp", r.nextInt(4) == 0 ? F.nullNode() : timestamp(r)));
        }
        parts.add(() -> {
            if (r.nextInt(15) == 0) {
                md.set("labels", odd(r));
                return;
            }
            ObjectNode labels = md.putObject("labels");
            int k = r.nextInt(5);
            for (int i = 0; i < k; i++) {
                String key = r.nextBoolean() ? "app" + r.nextInt(3) : "x.io/" + text(r, 1 + r.nextInt(10));
                labels.set(key, r.nextInt(10) == 0 ? odd(r) : F.textNode(r.nextBoolean() ? "v" + r.nextInt(4) : text(r, r.nextInt(12))));
            }
        });
        shuffleAndRun(parts, r, 1);
        return md;
    }

    private static ObjectNode spec(Random r) {
        ObjectNode s = F.objectNode();
        List<Runnable> parts = new ArrayList<>();
        parts.add(() -> s.set("nodeName", r.nextInt(10) == 0 ? odd(r) : F.textNode("node-" + r.nextInt(5))));
        parts.add(() -> s.set("containers", containers(r)));
        if (r.nextInt(3) == 0) {
            parts.add(() -> s.set("initContainers", containers(r)));
        }
        parts.add(() -> s.set("volumes", deep(r, 3)));
        parts.add(() -> s.put("restartPolicy", "Always"));
        shuffleAndRun(parts, r, 1);
        return s;
    }

    private static JsonNode containers(Random r) {
        if (r.nextInt(12) == 0) {
            return r.nextBoolean() ? odd(r) : F.objectNode().put("a", 1).put("b", 2);
        }
        ArrayNode a = F.arrayNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            a.addObject().put("name", "c" + i).put("image", "registry.example/" + text(r, 6) + ":1").set("env", deep(r, 2));
        }
        return a;
    }

    private static ObjectNode status(Random r) {
        ObjectNode s = F.objectNode();
        List<Runnable> parts = new ArrayList<>();
        parts.add(() -> s.set("phase", r.nextInt(12) == 0 ? odd(r) : F.textNode(PHASES[r.nextInt(PHASES.length)])));
        if (r.nextInt(4) == 0) {
            parts.add(() -> s.set("reason", r.nextInt(4) == 0 ? odd(r) : F.textNode(REASONS[r.nextInt(REASONS.length)])));
        }
        parts.add(() -> s.set("conditions", deep(r, 2)));
        parts.add(() -> s.put("podIP", "10.42.0." + r.nextInt(255)));
        if (r.nextInt(3) == 0) {
            parts.add(() -> s.set("initContainerStatuses", statuses(r)));
        }
        parts.add(() -> s.set("containerStatuses", statuses(r)));
        shuffleAndRun(parts, r, 1);
        return s;
    }

    private static JsonNode statuses(Random r) {
        if (r.nextInt(15) == 0) {
            if (r.nextBoolean()) {
                return odd(r);
            }
            ObjectNode o = F.objectNode(); // an object where an array belongs: the tree decoder iterates its values
            o.set("x", containerStatus(r));
            o.set("y", containerStatus(r));
            return o;
        }
        ArrayNode a = F.arrayNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            a.add(r.nextInt(20) == 0 ? odd(r) : containerStatus(r));
        }
        return a;
    }

    private static JsonNode containerStatus(Random r) {
        ObjectNode c = F.objectNode();
        List<Runnable> parts = new ArrayList<>();
        parts.add(() -> c.put("name", "c" + r.nextInt(3)));
        parts.add(() -> c.set("restartCount", number(r)));
        parts.add(() -> c.set("ready", switch (r.nextInt(8)) {
            case 0 -> F.textNode(r.nextBoolean() ? "true" : "false");
            case 1 -> F.numberNode(r.nextInt(3));
            case 2 -> F.nullNode();
            case 3 -> odd(r);
            default -> F.booleanNode(r.nextBoolean());
        }));
        parts.add(() -> c.set("state", r.nextInt(15) == 0 ? odd(r) : state(r)));
        parts.add(() -> c.set("lastState", state(r)));
        shuffleAndRun(parts, r, 1);
        return c;
    }

    private static JsonNode state(Random r) {
        ObjectNode s = F.objectNode();
        switch (r.nextInt(5)) {
            case 0 -> {
                ObjectNode w = F.objectNode();
                if (r.nextInt(5) > 0) {
                    w.set("reason", r.nextInt(6) == 0 ? odd(r) : F.textNode(REASONS[r.nextInt(REASONS.length)]));
                }
                w.put("message", text(r, 20));
                s.set("waiting", r.nextInt(10) == 0 ? odd(r) : w);
            }
            case 1 -> {
                ObjectNode t = F.objectNode();
                if (r.nextInt(3) > 0) {
                    t.set("reason", r.nextInt(6) == 0 ? odd(r) : F.textNode(REASONS[r.nextInt(REASONS.length)]));
                }
                t.set("exitCode", r.nextInt(3) == 0 ? F.numberNode(0) : number(r));
                if (r.nextInt(4) == 0) {
                    t.set("signal", number(r));
                }
                t.put("finishedAt", "2026-11-23T08:00:00Z");
                s.set("terminated", r.nextInt(10) == 0 ? odd(r) : t);
            }
            case 2 -> s.set("running", r.nextInt(10) == 0 ? odd(r) : F.objectNode().put("startedAt", "2026-11-23T08:00:05Z"));
            case 3 -> {
                s.set("running", F.objectNode());
                s.set("waiting", F.objectNode().put("reason", "PodInitializing"));
            }
            default -> {
                // no state at all
            }
        }
        return s;
    }

    /** A number in the forms the tree decoder's asInt() accepts: int, long, double, numeric text, junk text, bool, null. */
    private static JsonNode number(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> F.numberNode(r.nextLong());
            case 1 -> F.numberNode(r.nextDouble() * 100);
            case 2 -> F.textNode("" + r.nextInt(50));
            case 3 -> F.textNode(" 7 ");
            case 4 -> F.booleanNode(r.nextBoolean());
            case 5 -> F.nullNode();
            case 6 -> odd(r);
            case 7 -> F.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            default -> F.numberNode(r.nextInt(20));
        };
    }

    private static JsonNode timestamp(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> F.nullNode();
            case 1 -> F.textNode("2026-11-23T08:00:00.5+02:00");
            case 2 -> F.textNode("0001-01-01T00:00:00Z");
            case 3 -> F.textNode("2024-02-29T12:00:00Z");
            case 4 -> F.textNode("2026-02-31T12:00:00Z");
            case 5 -> F.numberNode(1700000000);
            case 6 -> F.textNode(text(r, 20));
            default -> F.textNode(String.format("20%02d-%02d-%02dT%02d:%02d:%02dZ", r.nextInt(40), 1 + r.nextInt(12),
                    1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60)));
        };
    }

    /** A value of an unexpected type. */
    private static JsonNode odd(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> F.nullNode();
            case 1 -> F.numberNode(r.nextInt(1000) - 500);
            case 2 -> F.numberNode(1.5e3);
            case 3 -> F.booleanNode(r.nextBoolean());
            case 4 -> F.arrayNode().add("x").add(F.objectNode().put("reason", "Nested"));
            case 5 -> F.objectNode().put("reason", "InObject").put("n", 3);
            case 6 -> F.textNode(text(r, 5));
            default -> F.textNode("");
        };
    }

    /** Nested noise the decoder must skip: arrays and objects holding strings with braces, quotes and escapes. */
    private static JsonNode deep(Random r, int depth) {
        if (depth == 0 || r.nextInt(3) == 0) {
            return r.nextBoolean() ? F.textNode(text(r, r.nextInt(15))) : F.numberNode(r.nextDouble());
        }
        if (r.nextBoolean()) {
            ArrayNode a = F.arrayNode();
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                a.add(deep(r, depth - 1));
            }
            return a;
        }
        ObjectNode o = F.objectNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            // field names the decoder looks for elsewhere, in places where they must be ignored
            o.set(r.nextBoolean() ? "f" + i : new String[] {"name", "namespace", "reason", "phase", "state"}[r.nextInt(5)],
                    deep(r, depth - 1));
        }
        return o;
    }

    private static final String ALPHABET = "abcxyz-._09 {}[]\":,\\/\n\t\u00e9\u00fc\u4e2d\u0000\u2028";

    private static String text(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(ALPHABET.length() + 1);
            if (k == ALPHABET.length()) {
                sb.appendCodePoint(0x1F600 + r.nextInt(50)); // outside the BMP: a surrogate pair
            } else {
                sb.append(ALPHABET.charAt(k));
            }
        }
        return sb.toString();
    }

    private static void shuffleAndRun(List<Runnable> parts, Random r, int dropOneIn) {
        Collections.shuffle(parts, r);
        for (Runnable p : parts) {
            if (r.nextInt(10 * dropOneIn) != 0) {
                p.run();
            }
        }
    }

    // ------------------------------------------------------------------ the reference: a plain tree decode

    /** The tree decoder as it was before the streaming decoder (commit c077b98), unchanged. */
    static PodRow reference(JsonNode p) {
        JsonNode md = p.path("metadata");
        JsonNode spec = p.path("spec");
        List<String> labelList = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = md.path("labels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            labelList.add(e.getKey());
            labelList.add(e.getValue().asText());
        }
        String namespace = md.path("namespace").asText("default");
        String name = md.path("name").asText();
        JsonNode cr = md.get("creationTimestamp");
        String created = cr == null || cr.isNull() ? null : cr.asText();
        boolean deleting = md.hasNonNull("deletionTimestamp");
        String node = spec.path("nodeName").asText(null);
        int initContainers = spec.path("initContainers").size();
        int containers = spec.path("containers").size();
        JsonNode st = p.path("status");
        int ready = 0;
        int restarts = 0;
        String reason = st.path("reason").asText(null);
        String phase = st.path("phase").asText("Unknown");
        String status = reason != null && !reason.isEmpty() ? reason : phase;
        boolean initDone = true;
        int i = 0;
        for (JsonNode c : st.path("initContainerStatuses")) {
            restarts += c.path("restartCount").asInt();
            JsonNode term = c.path("state").path("terminated");
            JsonNode wait = c.path("state").path("waiting");
            if (!term.isMissingNode() && term.path("exitCode").asInt() == 0) {
                i++;
                continue;
            }
            initDone = false;
            if (!term.isMissingNode()) {
                status = "Init:" + term.path("reason").asText("Error");
            } else if (!wait.isMissingNode() && !"PodInitializing".equals(wait.path("reason").asText())) {
                status = "Init:" + wait.path("reason").asText("Waiting");
            } else {
                status = "Init:" + i + "/" + initContainers;
            }
            break;
        }
        if (initDone) {
            boolean anyRunning = false;
            for (JsonNode c : st.path("containerStatuses")) {
                restarts += c.path("restartCount").asInt();
                if (c.path("ready").asBoolean()) {
                    ready++;
                }
                JsonNode state = c.path("state");
                String w = state.path("waiting").path("reason").asText(null);
                String t = state.path("terminated").path("reason").asText(null);
                if (w != null && !w.isEmpty()) {
                    status = w;
                } else if (t != null && !t.isEmpty()) {
                    status = t;
                } else if (!state.path("terminated").isMissingNode()) {
                    int sig = state.path("terminated").path("signal").asInt();
                    status = sig != 0 ? "Signal:" + sig : "ExitCode:" + state.path("terminated").path("exitCode").asInt();
                } else if (!state.path("running").isMissingNode()) {
                    anyRunning = true;
                }
            }
            if ("Completed".equals(status) && anyRunning) {
                status = "Running";
            }
        } else {
            for (JsonNode c : st.path("containerStatuses")) {
                restarts += c.path("restartCount").asInt();
            }
        }
        if (deleting) {
            status = "NodeLost".equals(st.path("reason").asText()) ? "Unknown" : "Terminating";
        }
        return new PodRow(namespace, name, ready, containers, status, restarts, node, Decoders.epochSeconds(created),
                labelList.toArray(new String[0]));
    }
}
