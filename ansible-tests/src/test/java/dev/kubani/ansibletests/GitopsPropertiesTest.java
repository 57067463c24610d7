package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Properties 13 and 14: Flux is part of provisioning and watches the configured repository. */
class GitopsPropertiesTest {
    private static boolean includesRole(List<?> tasks, String role) throws java.io.IOException {
        boolean found = false;
        for (Object t : tasks) {
            if (!(t instanceof Map<?, ?> m)) {
                continue;
            }
            if (m.get("ansible.builtin.include_role") instanceof Map<?, ?> inc) {
                found |= role.equals(inc.get("name"));
            }
            if (m.get("ansible.builtin.include_tasks") instanceof String file) {
                Object included = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(Repo.playbook(file)));
                found |= included instanceof List<?> l && includesRole(l, role);
            }
        }
        return found;
    }

    @Test
    @DisplayName("Property 13: GitOps controller installation — site.yml runs the gitops role, which installs the Flux controllers")
    void property13FluxIsInstalledByProvisioning() throws Exception {
        Object site = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(Repo.playbook("site.yml")));
        boolean gitopsPlay = false;
        for (Object play : (List<?>) site) {
            Map<?, ?> p = (Map<?, ?>) play;
            if (p.get("roles") instanceof List<?> roles) {
                for (Object r : roles) {
                    Object name = r instanceof Map<?, ?> m ? m.get("role") : r;
                    gitopsPlay |= "gitops".equals(name);
                }
            }
            // Or a task that includes the role, directly or through a task file of playbooks/ (site.yml
            // includes it only when the K3s API answered).
            if (p.get("tasks") instanceof List<?> tasks) {
                gitopsPlay |= includesRole(tasks, "gitops");
            }
        }
        assertThat(gitopsPlay).as("site.yml has a play that runs the gitops role").isTrue();
        String tasks = Files.readString(Repo.ansible().resolve("roles/gitops/tasks/main.yml"));
        assertThat(tasks).contains("flux install").contains("flux_version").contains("import_tasks: sync.yml");
    }

    @Test
    @DisplayName("Property 14: GitOps repository configuration — Flux's GitRepository is rendered with git_repo_url and git_branch")
    void property14FluxWatchesTheConfiguredRepository(@TempDir Path tmp) throws Exception {
        String[][] cases = {
            {"https://github.com/example/homelab.git", "main", "gitops/flux-system"},
            {"ssh://git@git.example.org/ops/cluster.git", "production", "gitops/flux-system"},
            {"git@github.com:me/kubani.git", "release/1.2", "clusters/home"},
        };
        int i = 0;
        for (String[] c : cases) {
            Path out = tmp.resolve("sync" + i++ + ".yaml");
            Proc.Result r = Proc.run(Repo.ansible(), Map.of("ANSIBLE_LOCALHOST_WARNING", "False",
                    "ANSIBLE_INVENTORY_UNPARSED_WARNING", "False"), 120, "ansible", "localhost", "-c", "local",
                    "-m", "ansible.builtin.template",
                    "-a", "src=roles/gitops/templates/sync.yaml.j2 dest=" + out,
                    "-e", "{\"git_repo_url\": \"" + c[0] + "\", \"git_branch\": \"" + c[1] + "\", \"git_path\": \"" + c[2]
                            + "\", \"flux_namespace\": \"flux-system\", \"flux_interval\": \"1m\", \"git_secret_name\": \"\"}");
            assertThat(r.rc()).as(r.toString()).isZero();
            List<Object> docs = new java.util.ArrayList<>();
            new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(out)).forEach(docs::add);
            Map<?, ?> repo = (Map<?, ?>) docs.stream().filter(d -> "GitRepository".equals(((Map<?, ?>) d).get("kind")))
                    .findFirst().orElseThrow();
            Map<?, ?> spec = (Map<?, ?>) repo.get("spec");
            assertThat(spec.get("url")).isEqualTo(c[0]);
            assertThat(((Map<?, ?>) spec.get("ref")).get("branch")).isEqualTo(c[1]);
            assertThat(repo.get("apiVersion")).isEqualTo("source.toolkit.fluxcd.io/v1");
            Map<?, ?> ks = (Map<?, ?>) docs.stream().filter(d -> "Kustomization".equals(((Map<?, ?>) d).get("kind")))
                    .findFirst().orElseThrow();
            assertThat(((Map<?, ?>) ks.get("spec")).get("path")).isEqualTo("./" + c[2]);
        }
    }
}
