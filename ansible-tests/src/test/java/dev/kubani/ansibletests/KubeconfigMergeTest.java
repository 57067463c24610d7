package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The kubeconfig merge of k3s_control_plane, run on the management machine (localhost). */
@DisplayName("Property 3: the kubeconfig is merged under cluster_name, pointing at the Tailscale IP, current context kept")
class KubeconfigMergeTest {
    @Test
    @SuppressWarnings("unchecked")
    void mergesWithoutSwitchingContext() throws IOException {
        assumeTrue(Repo.onPath("ansible-playbook"), "ansible-core is not installed");
        Path work = Files.createTempDirectory("kubani-kubeconfig");
        Files.createDirectories(work.resolve("tmp"));
        Path kubeconfig = work.resolve("kube/config");
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: work
                  cluster: {server: 'https://10.0.0.1:6443'}
                - name: lab
                  cluster: {server: 'https://old:6443'}
                users:
                - name: work
                  user: {token: abc}
                contexts:
                - name: work
                  context: {cluster: work, user: work}
                current-context: work
                """);
        // What K3s writes to /etc/rancher/k3s/k3s.yaml (fake certificate data).
        String k3s = """
                apiVersion: v1
                clusters:
                - cluster:
                    certificate-authority-data: Q0EtREFUQQ==
                    server: https://127.0.0.1:6443
                  name: default
                contexts:
                - context: {cluster: default, user: default}
                  name: default
                current-context: default
                kind: Config
                preferences: {}
                users:
                - name: default
                  user:
                    client-certificate-data: Q0VSVA==
                    client-key-data: S0VZLVNFQ1JFVA==
                """;
        Path source = work.resolve("k3s.yaml");
        Files.writeString(source, k3s);
        Path pb = work.resolve("merge.yml");
        Files.writeString(pb, """
                - name: Merge
                  hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: Merge the kubeconfig
                      ansible.builtin.include_role:
                        name: k3s_control_plane
                        tasks_from: kubeconfig_merge.yml
                      vars:
                        k3s_kubeconfig_source: "{{ lookup('ansible.builtin.file', '%s') }}"
                        k3s_kubeconfig_server: https://100.64.0.5:6443
                        cluster_name: lab
                        kubeconfig_local_path: %s
                """.formatted(source, kubeconfig));
        Map<String, String> env = AnsibleRun.env(work);
        List<String> cmd = List.of("ansible-playbook", "-i", "localhost,", "-c", "local",
                "-e", "ansible_python_interpreter=/usr/bin/python3", pb.toString());
        Proc.Result first = Proc.run(Repo.ansible(), env, 120, cmd);
        assertThat(first.rc()).as(first.out()).isZero();
        assertThat(first.out()).doesNotContain("S0VZLVNFQ1JFVA==");
        Map<String, Object> merged = new Yaml().load(Files.readString(kubeconfig));
        assertThat(merged).containsEntry("current-context", "work");
        List<Map<String, Object>> clusters = (List<Map<String, Object>>) merged.get("clusters");
        assertThat(clusters).extracting(c -> c.get("name")).containsExactly("work", "lab");
        assertThat((Map<String, Object>) clusters.get(1).get("cluster")).containsEntry("server", "https://100.64.0.5:6443")
                .containsEntry("certificate-authority-data", "Q0EtREFUQQ==");
        assertThat((List<Map<String, Object>>) merged.get("contexts")).extracting(c -> c.get("name"))
                .containsExactly("work", "lab");
        assertThat((List<Map<String, Object>>) merged.get("users")).extracting(c -> c.get("name"))
                .containsExactly("work", "lab");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig))).isEqualTo("rw-------");
        Proc.Result second = Proc.run(Repo.ansible(), env, 120, cmd);
        assertThat(second.out()).as(second.out()).contains("changed=0").contains("failed=0");
    }
}
