package dev.kubani.gitopstests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kustomization directory under gitops/ builds with {@code kubectl kustomize}. */
class KustomizeBuildTest {

    @BeforeAll
    static void kustomizeIsRecentEnough() {
        String v = GitopsRepo.kustomizeVersion();
        int major = v.isEmpty() ? 0 : Integer.parseInt(v.replaceAll("^(\\d+).*", "$1"));
        assertThat(major)
                .as("these tests need `kubectl kustomize` with Kustomize v4 or newer (kubectl >= 1.21); "
                        + "this kubectl reports Kustomize '%s'. Debian bookworm's kubernetes-client (1.20) embeds "
                        + "Kustomize v2.0.3, which cannot build directories listed under resources:. Install a "
                        + "kubectl >= 1.21 (scripts/deps.d/gitops.sh explains).", v.isEmpty() ? "none" : v)
                .isGreaterThanOrEqualTo(4);
    }

    static List<Path> dirs() {
        return GitopsRepo.kustomizationDirs();
    }

    @Test
    void theTreeHasTheExpectedKustomizationDirectories() {
        List<String> rel = dirs().stream().map(GitopsRepo::rel).toList();
        assertThat(rel).contains(
                "gitops/flux-system",
                "gitops/infrastructure",
                "gitops/infrastructure/sources",
                "gitops/infrastructure/cert-manager",
                "gitops/infrastructure/issuers",
                "gitops/infrastructure/traefik",
                "gitops/infrastructure/storage",
                "gitops/infrastructure/nvidia-device-plugin",
                "gitops/infrastructure/monitoring",
                "gitops/apps/overlays/production");
        assertThat(rel.stream().filter(r -> r.startsWith("gitops/apps/base/")))
                .containsExactlyInAnyOrder(
                        "gitops/apps/base/hello-world",
                        "gitops/apps/base/web-app-example",
                        "gitops/apps/base/gpu-test",
                        "gitops/apps/base/ml-training",
                        "gitops/apps/base/gpu-inference",
                        "gitops/apps/base/postgresql",
                        "gitops/apps/base/redis",
                        "gitops/apps/base/authentik");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dirs")
    void builds(Path dir) {
        GitopsRepo.Build b = GitopsRepo.build(dir);
        assertThat(b.code())
                .as("kubectl kustomize %s failed:%n%s", GitopsRepo.rel(dir), b.err())
                .isZero();
        assertThat(GitopsRepo.parseYaml(b.out()))
                .as("kubectl kustomize %s rendered nothing", GitopsRepo.rel(dir))
                .isNotEmpty();
    }
}
