package dev.kubani.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * 'cluster-mgr lab kubeconfig --from FILE': lab/kubeconfig (0600) under context k0s-lab, merged
 * into the user's kubeconfig without switching the current context. The input stands for what
 * 'k0sctl kubeconfig' prints (k0sctl cannot run here).
 */
class LabKubeconfigTest {
    static final String FETCHED = """
            apiVersion: v1
            clusters:
            - cluster:
                certificate-authority-data: Q0EtREFUQQ==
                server: https://192.168.64.10:6443
              name: k0s-cluster
            contexts:
            - context:
                cluster: k0s-cluster
                user: admin
              name: k0s-cluster
            current-context: k0s-cluster
            kind: Config
            preferences: {}
            users:
            - name: admin
              user:
                client-certificate-data: Q0VSVC1EQVRB
                client-key-data: U0VDUkVULUtFWS1EQVRB
            """;

    static final String EXISTING = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: homelab
              cluster: {server: "https://100.64.0.1:6443"}
            - name: k0s-lab
              cluster: {server: "https://stale:6443"}
            users:
            - name: homelab
              user: {token: homelab-token}
            contexts:
            - name: homelab
              context: {cluster: homelab, user: homelab}
            - name: k0s-lab
              context: {cluster: k0s-lab, user: stale}
            current-context: homelab
            """;

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path p) throws IOException {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(p));
    }

    @SuppressWarnings("unchecked")
    static List<String> names(Map<String, Object> doc, String key) {
        return ((List<Map<String, Object>>) doc.get(key)).stream().map(m -> (String) m.get("name")).toList();
    }

    @Test
    @DisplayName("writes lab/kubeconfig 0600 as k0s-lab and merges it, keeping the current context and other entries")
    void mergeKeepsCurrentContext(@TempDir Path dir) throws IOException {
        Path lab = Files.createDirectories(dir.resolve("lab"));
        Path fetched = dir.resolve("fetched.yaml");
        Files.writeString(fetched, FETCHED);
        Path kube = dir.resolve("home/.kube/config");
        Files.createDirectories(kube.getParent());
        Files.writeString(kube, EXISTING);
        CliRunner.Result r = new CliRunner(dir).run("lab", "kubeconfig", "--from", fetched.toString(), "--lab-dir", lab.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("current context unchanged (homelab)").contains("kubectl --context k0s-lab");
        assertThat(r.out() + r.err()).doesNotContain("U0VDUkVULUtFWS1EQVRB").doesNotContain("homelab-token");

        Path labKc = lab.resolve("kubeconfig");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(labKc))).isEqualTo("rw-------");
        Map<String, Object> labDoc = yaml(labKc);
        assertThat(labDoc).containsEntry("current-context", "k0s-lab");
        assertThat(names(labDoc, "contexts")).containsExactly("k0s-lab");
        assertThat(Files.readString(labKc)).contains("https://192.168.64.10:6443").contains("U0VDUkVULUtFWS1EQVRB");

        Map<String, Object> merged = yaml(kube);
        assertThat(merged).containsEntry("current-context", "homelab");
        assertThat(names(merged, "contexts")).containsExactly("homelab", "k0s-lab");
        assertThat(names(merged, "clusters")).containsExactly("homelab", "k0s-lab");
        assertThat(names(merged, "users")).containsExactly("homelab", "k0s-lab");
        assertThat(Files.readString(kube)).doesNotContain("stale").contains("https://192.168.64.10:6443");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kube))).isEqualTo("rw-------");
        assertThat(Files.list(kube.getParent()).map(p -> p.getFileName().toString())).containsExactly("config");

        // idempotent: a second run leaves one k0s-lab entry
        r = new CliRunner(dir).run("lab", "kubeconfig", "--from", fetched.toString(), "--lab-dir", lab.toString());
        assertThat(r.code()).isZero();
        assertThat(names(yaml(kube), "contexts")).containsExactly("homelab", "k0s-lab");
    }

    @Test
    @DisplayName("a first kubeconfig gets k0s-lab as its current context; KUBECONFIG is honoured; --no-merge merges nothing")
    void newFileAndOptions(@TempDir Path dir) throws IOException {
        Path lab = Files.createDirectories(dir.resolve("lab"));
        Path fetched = dir.resolve("fetched.yaml");
        Files.writeString(fetched, FETCHED);
        Path kube = dir.resolve("kc/config");
        CliRunner.Result r = new CliRunner(dir).env("KUBECONFIG", kube.toString())
                .run("lab", "kubeconfig", "--from", fetched.toString(), "--lab-dir", lab.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(yaml(kube)).containsEntry("current-context", "k0s-lab");
        Path other = dir.resolve("other");
        r = new CliRunner(dir).env("KUBECONFIG", other.toString())
                .run("lab", "kubeconfig", "--from", fetched.toString(), "--lab-dir", lab.toString(), "--no-merge");
        assertThat(r.code()).isZero();
        assertThat(other).doesNotExist();
    }

    @Test
    @DisplayName("a broken input fails with one line and writes nothing")
    void brokenInput(@TempDir Path dir) throws IOException {
        Path lab = Files.createDirectories(dir.resolve("lab"));
        Path fetched = dir.resolve("fetched.yaml");
        Files.writeString(fetched, "contexts: [\n  secret-stuff: {");
        CliRunner.Result r = new CliRunner(dir).run("lab", "kubeconfig", "--from", fetched.toString(), "--lab-dir", lab.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("not valid YAML").doesNotContain("secret-stuff");
        assertThat(lab.resolve("kubeconfig")).doesNotExist();
        r = new CliRunner(dir).run("lab", "kubeconfig", "--from", dir.resolve("nope").toString(), "--lab-dir", lab.toString());
        assertThat(r.code()).isEqualTo(2);
    }
}
