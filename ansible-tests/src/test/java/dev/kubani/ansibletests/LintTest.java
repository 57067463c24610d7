package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Lint: yamllint, ansible-lint (production profile), syntax-check")
class LintTest {
    static Path work;

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue(Repo.onPath("ansible-playbook"), "ansible-core is not installed (scripts/deps.d/ansible.txt)");
        work = Files.createTempDirectory("kubani-lint");
        Files.createDirectories(work.resolve("tmp"));
        // The committed example stands in for the user's (uncommitted) hosts.yml.
        Files.copy(Repo.ansible().resolve("inventory/hosts.yml.example"), work.resolve("hosts.yml"));
    }

    static Stream<String> playbooks() throws IOException {
        try (Stream<Path> s = Files.list(Repo.ansible().resolve("playbooks"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList().stream();
        }
    }

    @Test
    @DisplayName("yamllint passes on all of ansible/")
    void yamllint() {
        assumeTrue(Repo.onPath("yamllint"), "yamllint is not installed");
        Proc.Result r = Proc.run(Repo.ansible(), AnsibleRun.env(work), 300, "yamllint", "-s", ".");
        assertThat(r.rc()).as(r.out()).isZero();
    }

    @Test
    @DisplayName("ansible-lint passes with the production profile")
    void ansibleLint() {
        assumeTrue(Repo.onPath("ansible-lint"), "ansible-lint is not installed");
        Proc.Result r = Proc.run(Repo.ansible(), AnsibleRun.env(work), 300, "ansible-lint", "--nocolor",
                "--profile", "production");
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).contains("Passed with production profile");
    }

    @ParameterizedTest(name = "syntax-check {0}")
    @MethodSource("playbooks")
    @DisplayName("ansible-playbook --syntax-check passes")
    void syntaxCheck(String playbook) {
        Proc.Result r = Proc.run(Repo.ansible(), AnsibleRun.env(work), 120, "ansible-playbook", "-i",
                work.resolve("hosts.yml").toString(), "--syntax-check", "playbooks/" + playbook);
        assertThat(r.rc()).as(r.out()).isZero();
    }

    @Test
    @DisplayName("every role has commented defaults, argument specs, handlers and a README")
    void roleAnatomy() throws IOException {
        List<Path> roles;
        try (Stream<Path> s = Files.list(Repo.ansible().resolve("roles"))) {
            roles = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(roles).extracting(p -> p.getFileName().toString()).contains("prerequisites", "k3s_control_plane",
                "k3s_worker", "tailscale_resilience", "gpu_support", "gitops", "monitoring");
        for (Path role : roles) {
            String defaults = Files.readString(role.resolve("defaults/main.yml"));
            assertThat(defaults).as(role + " defaults are commented").contains("\n# ");
            assertThat(role.resolve("meta/argument_specs.yml")).as(role.toString()).exists();
            assertThat(role.resolve("handlers/main.yml")).as(role.toString()).exists();
            String readme = Files.readString(role.resolve("README.md"));
            assertThat(readme).as(role + " README").contains("Requirements", "Role Variables", "Example");
        }
    }

    @Test
    @DisplayName("tokens handed to kubani_files go through secret_content, which the module masks and never diffs")
    void tokensReachKubaniFilesAsSecretContent() throws IOException {
        java.util.regex.Pattern token = java.util.regex.Pattern.compile("\\b(k3s_cluster_token|k3s_agent_token)\\b");
        int checked = 0;
        try (Stream<Path> s = Files.walk(Repo.ansible().resolve("roles"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yml")).toList()) {
                String text = Files.readString(f);
                // Files that call the module or define its items.
                if (!text.contains("kubani_files:") && !text.contains("k3s_files:")) {
                    continue;
                }
                java.util.regex.Matcher m = token.matcher(text);
                while (m.find()) {
                    int lineStart = text.lastIndexOf('\n', m.start()) + 1;
                    String line = text.substring(lineStart, text.indexOf('\n', m.start()));
                    // Comments, and conditions that only ask whether the first server set the token.
                    if (line.stripLeading().startsWith("#") || line.matches(".*\\.k3s_(cluster|agent)_token is (not )?defined.*")) {
                        continue;
                    }
                    assertThat(line).as(f + ": a token in a kubani_files item").contains("secret_content");
                    checked++;
                }
            }
        }
        assertThat(checked).as("the K3s token files are written through kubani_files").isGreaterThanOrEqualTo(2);
    }

    @Test
    @DisplayName("every task that touches a token, kubeconfig or key has no_log: true")
    void secretsAreNoLog() throws IOException {
        try (Stream<Path> s = Files.walk(Repo.ansible().resolve("roles"))) {
            for (Path f : s.filter(p -> p.toString().contains("/tasks/") && p.toString().endsWith(".yml")).toList()) {
                String[] tasks = Files.readString(f).split("\n- name: ");
                for (String task : tasks) {
                    boolean secret = task.matches("(?s).*(k3s_cluster_token|k3s_agent_token|k3s_vault_password|"
                            + "kubeconfig_raw|k3s_local_kubeconfig|k3s_merged_kubeconfig|token_files|k3s_token_local)\\b.*");
                    boolean writesOrReads = task.matches("(?s).*ansible\\.builtin\\.(copy|slurp|template|set_fact).*");
                    if (secret && writesOrReads) {
                        assertThat(task).as(f + ": task '" + task.lines().findFirst().orElse("") + "'")
                                .contains("no_log: true");
                    }
                }
            }
        }
    }
}
