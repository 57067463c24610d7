package dev.kubani.gitopstests;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** gitops/README.md explains the workflow people follow; scripts are where the docs say. */
class DocsTest {

    static final String README = GitopsRepo.read(GitopsRepo.gitops().resolve("README.md"));

    @Test
    void explainsAddingPromotingAndDebuggingAnApp() {
        assertThat(README).contains("### Add an app", "### Promote it to production", "### Debug with flux");
        assertThat(README).contains("flux get kustomizations", "flux reconcile kustomization", "flux logs", "flux get helmreleases");
        assertThat(README).contains("gitops/apps/overlays/production/kustomization.yaml");
    }

    @Test
    void explainsBootstrapSecretsHookAndMonitoring() {
        assertThat(README).contains("flux install --export > gitops/flux-system/gotk-components.yaml");
        assertThat(README).contains("sops-age", "age.agekey", "cluster-mgr secrets create", "resources:");
        assertThat(README).contains("git config core.hooksPath scripts/hooks");
        assertThat(README).contains("monitoring_enabled", "gitops/flux-system/optional/monitoring.yaml");
        assertThat(GitopsRepo.root().resolve("gitops/flux-system/optional/monitoring.yaml")).exists();
    }

    @Test
    void scriptsAreExecutable() {
        for (String s : new String[] {"scripts/hooks/pre-commit", "scripts/check-secrets.sh", "scripts/deps.d/gitops.sh"}) {
            Path p = GitopsRepo.root().resolve(s);
            assertThat(Files.isExecutable(p)).as("%s is executable", s).isTrue();
        }
    }
}
