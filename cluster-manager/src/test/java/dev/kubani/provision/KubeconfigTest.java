package dev.kubani.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubani.core.KubaniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class KubeconfigTest {
    static final String FETCHED = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: default
              cluster: {certificate-authority-data: Q0E=, server: 'https://100.64.0.1:6443'}
            users:
            - name: default
              user: {token: secret-token-xyz}
            contexts:
            - name: default
              context: {cluster: default, user: default}
            current-context: default
            """;
    static final String EXISTING = """
            apiVersion: v1
            kind: Config
            preferences: {}
            clusters:
            - name: work
              cluster: {server: 'https://work.example:6443'}
            - name: homelab
              cluster: {server: 'https://100.64.9.9:6443'}
            users:
            - name: work
              user: {token: work-token}
            - name: homelab
              user: {token: stale}
            contexts:
            - name: work
              context: {cluster: work, user: work}
            - name: homelab
              context: {cluster: homelab, user: homelab}
            current-context: work
            """;

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String s) {
        return (Map<String, Object>) new Yaml().load(s);
    }

    @Test
    void replacesTheClusterEntriesKeepsOthersAndTheCurrentContext() {
        Map<String, Object> m = parse(Kubeconfig.merge(EXISTING, FETCHED, "homelab", false));
        assertThat(m.get("current-context")).isEqualTo("work");
        assertThat((List<?>) m.get("contexts")).hasSize(2);
        assertThat(Kubeconfig.server(Kubeconfig.merge(EXISTING, FETCHED, "homelab", false), "homelab"))
                .isEqualTo("https://100.64.0.1:6443");
        assertThat(Kubeconfig.server(Kubeconfig.merge(EXISTING, FETCHED, "homelab", false), "work"))
                .isEqualTo("https://work.example:6443");
        assertThat(Kubeconfig.merge(EXISTING, FETCHED, "homelab", false)).doesNotContain("stale")
                .contains("work-token").contains("secret-token-xyz");
    }

    @Test
    void switchesOnlyWhenAskedOrWhenThereWasNoCurrentContext() {
        assertThat(parse(Kubeconfig.merge(EXISTING, FETCHED, "homelab", true)).get("current-context")).isEqualTo("homelab");
        assertThat(parse(Kubeconfig.merge(null, FETCHED, "homelab", false)).get("current-context")).isEqualTo("homelab");
    }

    @Test
    void writesAtomicallyWithMode0600AndReleasesTheLock() throws Exception {
        Path kc = tmp.resolve(".kube/config");
        Kubeconfig.Merged r = Kubeconfig.mergeInto(kc, FETCHED, "homelab", false);
        assertThat(r.server()).isEqualTo("https://100.64.0.1:6443");
        assertThat(Files.getPosixFilePermissions(kc)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(kc.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(kc.resolveSibling("config.lock")).doesNotExist();
        try (var s = Files.list(kc.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("config");
        }
    }

    @Test
    void brokenFilesAreNotOverwrittenAndTheirContentIsNotEchoed() throws Exception {
        Path kc = tmp.resolve("config");
        Files.writeString(kc, "token: [unclosed secret-value");
        assertThatThrownBy(() -> Kubeconfig.mergeInto(kc, FETCHED, "homelab", false))
                .isInstanceOf(KubaniException.class).hasMessageNotContaining("secret-value");
        assertThat(kc).hasContent("token: [unclosed secret-value");
    }
}
