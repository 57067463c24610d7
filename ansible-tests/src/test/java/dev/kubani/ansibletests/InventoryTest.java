package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

@DisplayName("Inventory files and group_vars")
class InventoryTest {
    static Stream<String> inventories() throws IOException {
        try (Stream<Path> s = Files.list(Repo.ansible().resolve("inventory/examples"))) {
            List<String> names = new java.util.ArrayList<>(s.map(p -> "examples/" + p.getFileName()).sorted().toList());
            names.add("hosts.yml.example");
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0} follows the seed schema and ansible-inventory reads it")
    @MethodSource("inventories")
    @SuppressWarnings("unchecked")
    void schema(String name) throws IOException {
        assumeTrue(Repo.onPath("ansible-inventory"), "ansible-core is not installed");
        Path work = Files.createTempDirectory("kubani-inv");
        Path inv = work.resolve("hosts.yml");
        Files.copy(Repo.ansible().resolve("inventory").resolve(name), inv);
        Files.createSymbolicLink(work.resolve("group_vars"), Repo.ansible().resolve("inventory/group_vars"));
        Map<String, Object> doc = new Yaml().load(Files.readString(inv));
        Map<String, Object> all = (Map<String, Object>) doc.get("all");
        assertThat((Map<String, Object>) all.get("vars")).containsKeys("k3s_version", "cluster_name", "tailscale_network");
        Map<String, Object> children = (Map<String, Object>) all.get("children");
        assertThat(children).containsOnlyKeys("control_plane", "workers");
        Proc.Result r = Proc.run(work, Map.of("ANSIBLE_CONFIG", Repo.ansible().resolve("ansible.cfg").toString()), 60,
                "ansible-inventory", "-i", inv.toString(), "--list");
        assertThat(r.rc()).as(r.out()).isZero();
        Map<String, Object> listed = new Yaml().load(r.out());
        Map<String, Object> hostvars = (Map<String, Object>) ((Map<String, Object>) listed.get("_meta")).get("hostvars");
        assertThat(hostvars).isNotEmpty();
        for (Map.Entry<String, Object> h : hostvars.entrySet()) {
            Map<String, Object> v = (Map<String, Object>) h.getValue();
            assertThat(v).as(h.getKey()).containsKeys("ansible_host", "tailscale_ip", "cluster_domain", "flux_namespace");
            assertThat(String.valueOf(v.get("tailscale_ip"))).startsWith("100.");
        }
        assertThat((List<String>) ((Map<String, Object>) listed.get("control_plane")).get("hosts")).isNotEmpty();
    }

    @Test
    @DisplayName("group_vars/all.yml documents every seed 002 global variable and Kubani's additions")
    void globalVariablesDocumented() throws IOException {
        String all = Files.readString(Repo.ansible().resolve("inventory/group_vars/all.yml"));
        for (String v : List.of("k3s_version", "cluster_name", "cluster_domain", "cluster_cidr", "service_cidr",
                "tailscale_network", "gitops_enabled", "git_repo_url", "git_branch", "flux_namespace",
                "monitoring_enabled", "gpu_sharing_enabled", "k8s_distribution")) {
            assertThat(all).as(v).containsPattern("(?m)^#? ?" + v + ":");
        }
        Map<String, Object> vars = new Yaml().load(all);
        assertThat(vars).containsEntry("cluster_domain", "cluster.local").containsEntry("cluster_cidr", "10.42.0.0/16")
                .containsEntry("service_cidr", "10.43.0.0/16").containsEntry("gitops_enabled", true)
                .containsEntry("git_branch", "main").containsEntry("flux_namespace", "flux-system")
                .containsEntry("k8s_distribution", "k3s");
    }

    @Test
    @DisplayName("ansible.cfg: inventory path, pipelining, forks >= 20, fact caching, events callback")
    void ansibleCfg() throws IOException {
        String cfg = Files.readString(Repo.ansible().resolve("ansible.cfg"));
        assertThat(cfg).contains("inventory = inventory/hosts.yml", "pipelining = true", "fact_caching = jsonfile",
                "callbacks_enabled = kubani_events");
        assertThat(cfg).containsPattern("(?m)^forks = (2\\d|[3-9]\\d|\\d{3,})$");
    }
}
