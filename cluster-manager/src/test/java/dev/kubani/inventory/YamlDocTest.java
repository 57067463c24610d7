package dev.kubani.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubani.core.KubaniException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlDocTest {
    private static final Path F = Path.of("hosts.yml");

    private static YamlDoc doc(String s) {
        return YamlDoc.parse(F, s);
    }

    @Test
    void replacingAPlainScalarKeepsTheRestByteForByte() {
        String in = "# top\nall:\n  vars:\n    k3s_version: v1.28.5+k3s1   # pinned\n    cluster_name: homelab\n";
        String out = doc(in).set(List.of("all", "vars", "k3s_version"), "v1.31.4+k3s1");
        assertThat(out).isEqualTo(in.replace("v1.28.5+k3s1", "v1.31.4+k3s1"));
    }

    @Test
    void quotingStyleOfTheOldValueIsKept() {
        String in = "a: \"x\"\nb: 'y'\nc: z\n";
        String out = doc(in).set(List.of("a"), "new");
        out = doc(out).set(List.of("b"), "it's");
        out = doc(out).set(List.of("c"), "true");
        assertThat(out).isEqualTo("a: \"new\"\nb: 'it''s'\nc: \"true\"\n");
    }

    @Test
    void insertingIntoABlockMappingUsesItsIndentationAndKeepsComments() {
        String in = "all:\n    children:\n        workers:\n            hosts:\n                # first\n                a:\n                    tailscale_ip: 100.64.0.1  # a's ip\n                # trailing comment of a\n\n        other: {}\n";
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("tailscale_ip", "100.64.0.2");
        String out = doc(in).set(List.of("all", "children", "workers", "hosts", "b"), v);
        assertThat(out).isEqualTo("all:\n    children:\n        workers:\n            hosts:\n                # first\n"
                + "                a:\n                    tailscale_ip: 100.64.0.1  # a's ip\n"
                + "                # trailing comment of a\n                b:\n                    tailscale_ip: 100.64.0.2\n\n        other: {}\n");
    }

    @Test
    void settingIntoAnEmptyGroupReplacesTheNullAndKeepsTheKeyComment() {
        String in = "all:\n  children:\n    workers:\n      hosts:   # none yet\n    control_plane:\n      hosts:\n";
        String out = doc(in).set(List.of("all", "children", "workers", "hosts", "w1"), Map.of("tailscale_ip", "100.64.0.9"));
        assertThat(out).isEqualTo("all:\n  children:\n    workers:\n      hosts: # none yet\n        w1:\n"
                + "          tailscale_ip: 100.64.0.9\n    control_plane:\n      hosts:\n");
    }

    @Test
    void missingIntermediateMappingsAreCreated() {
        String in = "all:\n  vars:\n    a: 1\n";
        String out = doc(in).set(List.of("all", "children", "workers", "hosts", "w"), Map.of("tailscale_ip", "100.64.0.9"));
        assertThat(out).isEqualTo("all:\n  vars:\n    a: 1\n  children:\n    workers:\n      hosts:\n        w:\n"
                + "          tailscale_ip: 100.64.0.9\n");
    }

    @Test
    void flowMappingsStayFlow() {
        String in = "vars: {a: 1, b: two}  # flow\n";
        assertThat(doc(in).set(List.of("vars", "c"), "x")).isEqualTo("vars: {a: 1, b: two, c: x}  # flow\n");
        assertThat(doc(in).set(List.of("vars", "a"), 5L)).isEqualTo("vars: {a: 5, b: two}  # flow\n");
    }

    @Test
    void removingAHostTakesItsLinesOnly() {
        String in = "hosts:\n  # about a\n  a:\n    x: 1\n    # deep comment of a\n  b:\n    x: 2\n# end\n";
        assertThat(doc(in).remove(List.of("hosts", "a"))).isEqualTo("hosts:\n  # about a\n  b:\n    x: 2\n# end\n");
        assertThat(doc(in).remove(List.of("hosts", "b"))).isEqualTo("hosts:\n  # about a\n  a:\n    x: 1\n    # deep comment of a\n# end\n");
    }

    @Test
    void removingTheLastLineOfAFileWithoutNewline() {
        String in = "hosts:\n  a: {x: 1}\n  b: {x: 2}";
        assertThat(doc(in).remove(List.of("hosts", "b"))).isEqualTo("hosts:\n  a: {x: 1}");
    }

    @Test
    void windowsLineEndingsAreKept() {
        String in = "a: 1\r\nb:\r\n  c: 2\r\n";
        String out = doc(in).set(List.of("b", "d"), "3x");
        assertThat(out).isEqualTo("a: 1\r\nb:\r\n  c: 2\r\n  d: 3x\r\n");
    }

    @Test
    void replacingABlockCollectionWithAnother() {
        String in = "labels:\n  a: b\n  c: d\nnext: 1\n";
        String out = doc(in).set(List.of("labels"), Map.of("e", "f"));
        assertThat(out).isEqualTo("labels:\n  e: f\nnext: 1\n");
        assertThat(doc(in).set(List.of("labels"), "plain")).isEqualTo("labels: plain\nnext: 1\n");
    }

    @Test
    void literalBlockScalarsAreReplacedWhole() {
        String in = "note: |\n  line one\n  line two\nnext: 1\n";
        assertThat(doc(in).set(List.of("note"), "short")).isEqualTo("note: short\nnext: 1\n");
    }

    @Test
    void listsRenderIndentedUnderTheirKey() {
        String in = "h:\n  x: 1\n";
        Map<String, Object> taint = new LinkedHashMap<>();
        taint.put("key", "nvidia.com/gpu");
        taint.put("value", "true");
        taint.put("effect", "NoSchedule");
        String out = doc(in).set(List.of("h", "node_taints"), List.of(taint));
        assertThat(out).isEqualTo("h:\n  x: 1\n  node_taints:\n    - key: nvidia.com/gpu\n      value: \"true\"\n      effect: NoSchedule\n");
    }

    @Test
    void malformedYamlGivesLineColumnAndHint() {
        assertThatThrownBy(() -> doc("all:\n  vars:\n\tbad: 1\n"))
                .isInstanceOf(KubaniException.class)
                .hasMessageStartingWith("hosts.yml:3:1: ")
                .hasMessageContaining("tabs");
        assertThatThrownBy(() -> doc("a: 1\na: 2\n")).hasMessageContaining("hosts.yml:2:1: duplicate key 'a'");
        assertThatThrownBy(() -> doc("a: [1, 2\n")).isInstanceOf(KubaniException.class).hasMessageStartingWith("hosts.yml:");
    }

    @Test
    void aCommentInsideAFlowCollectionIsHandled() {
        // SnakeYAML with comment processing throws ClassCastException here; the editor does not use it.
        YamlDoc d = doc("a: {#c\n}\nb: 1\n");
        assertThat(d.set(List.of("b"), 2L)).isEqualTo("a: {#c\n}\nb: 2\n");
    }

    @Test
    void scalarsThatYaml11WouldRetypeAreQuoted() {
        for (String s : List.of("yes", "no", "on", "off", "true", "2", "1.5", "~", "null", "0x1F", "1e3", "", " lead",
                "a: b", "a #b", "-", "@x", "`x", "%x", "*x", "&x", "!x", "[x", "{x", "'x", "\"x", "x\n y")) {
            String out = doc("k: v\n").set(List.of("k"), s);
            Object back = YamlDoc.toJava(YamlDoc.get(doc(out).root(), List.of("k")));
            assertThat(back).as(out).isEqualTo(s);
        }
    }
}
