package dev.kubani.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The parallel pod-list decoder (block splitter + workers) against the tree decoder, item by item. */
class SplitListTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String[] FIXTURES = {"pod-running.json", "pod-crashloop.json", "pod-init-pending.json",
        "pod-terminating.json"};

    /** A list of {@code n} pods made from the K3s fixtures, with names and labels holding braces, quotes and escapes. */
    static List<JsonNode> pods(int n) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode p = (ObjectNode) DecodersTest.fixture(FIXTURES[i % FIXTURES.length]).deepCopy();
            ObjectNode md = (ObjectNode) p.get("metadata");
            md.put("name", "pod-" + i);
            md.put("namespace", "ns-" + (i % 7));
            ObjectNode labels = md.with("labels");
            labels.put("tricky", "}{][\"\\" + i + "\\\"}");
            labels.put("unicode", "ünï-" + i);
            md.with("annotations").put("note", "{\"items\":[{\"x\":1}]}");
            out.add(p);
        }
        return out;
    }

    static byte[] list(List<JsonNode> pods, String rv) throws IOException {
        ObjectNode l = M.createObjectNode();
        l.put("kind", "PodList");
        l.put("apiVersion", "v1");
        l.putObject("metadata").put("resourceVersion", rv).put("continue", "{[\"]}");
        l.putArray("items").addAll(pods);
        return M.writeValueAsBytes(l);
    }

    /** Hands out at most {@code max} bytes per read, to cut items and strings at every possible place. */
    static InputStream trickle(byte[] b, int max) {
        return new ByteArrayInputStream(b) {
            private int k;

            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 1 + (k++ % max)));
            }
        };
    }

    static void assertSameRows(List<PodRow> got, List<JsonNode> pods) {
        assertThat(got).hasSize(pods.size());
        for (int i = 0; i < pods.size(); i++) {
            PodRow want = Decoders.pod(pods.get(i));
            PodRow g = got.get(i);
            assertThat(g).usingRecursiveComparison().ignoringFields("labels").isEqualTo(want);
            assertThat(Arrays.asList(g.labels())).isEqualTo(Arrays.asList(want.labels()));
        }
    }

    @Test
    @DisplayName("a pod list spanning many blocks decodes to the same rows, in order, as the tree decoder; resourceVersion kept")
    void manyBlocks() throws IOException {
        List<JsonNode> pods = pods(6000);
        byte[] doc = list(pods, "4242");
        assertThat(doc.length).isGreaterThan(2 * SplitList.BLOCK);
        List<PodRow> rows = new ArrayList<>();
        String rv = KubeApi.parseList(new ByteArrayInputStream(doc), KubeApi.POD_DECODER, rows::add);
        assertThat(rv).isEqualTo("4242");
        assertSameRows(rows, pods);
    }

    @Test
    @DisplayName("reads cut at every byte boundary (inside strings, escapes and items) change nothing")
    void tinyReads() throws IOException {
        List<JsonNode> pods = pods(40);
        List<PodRow> rows = new ArrayList<>();
        String rv = KubeApi.parseList(trickle(list(pods, "7"), 13), KubeApi.POD_DECODER, rows::add);
        assertThat(rv).isEqualTo("7");
        assertSameRows(rows, pods);
    }

    @Test
    @DisplayName("an empty list and a list without metadata")
    void emptyAndBare() throws IOException {
        List<PodRow> rows = new ArrayList<>();
        assertThat(KubeApi.parseList(new ByteArrayInputStream(list(List.of(), "1")), KubeApi.POD_DECODER, rows::add)).isEqualTo("1");
        assertThat(KubeApi.parseList(new ByteArrayInputStream("{\"items\":[]}".getBytes(StandardCharsets.UTF_8)),
                KubeApi.POD_DECODER, rows::add)).isEmpty();
        assertThat(rows).isEmpty();
    }

    @Test
    @DisplayName("a list cut short (connection dropped) is an error, not a shorter list")
    void truncated() throws IOException {
        byte[] doc = list(pods(30), "5");
        byte[] cut = Arrays.copyOf(doc, doc.length * 2 / 3);
        assertThatThrownBy(() -> KubeApi.parseList(new ByteArrayInputStream(cut), KubeApi.POD_DECODER, r -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    @DisplayName("a malformed item is an error naming the JSON problem")
    void malformed() {
        byte[] doc = "{\"items\":[{\"metadata\":{\"name\":\"a\",}}]}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> KubeApi.parseList(new ByteArrayInputStream(doc), KubeApi.POD_DECODER, r -> { }))
                .isInstanceOf(IOException.class);
    }
}
