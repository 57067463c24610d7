package dev.kubani.gitopstests;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** scripts/hooks/pre-commit, installed in a throw-away git repository, refuses plaintext Secrets. */
class PreCommitHookTest {

    static final Path HOOKS = GitopsRepo.root().resolve("scripts/hooks");
    static final Path PLAINTEXT = SecretsTest.FIXTURES.resolve("plaintext-secret.yaml");

    @TempDir
    Path repo;
    Map<String, String> env;

    @BeforeEach
    void gitInit() throws IOException {
        env = new HashMap<>();
        // isolate from the user's and the system's git configuration (a global hooksPath, signing, ...)
        env.put("HOME", repo.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        git("init", "-q", "-b", "main");
        git("config", "user.email", "test@example.com");
        git("config", "user.name", "test");
        git("config", "commit.gpgsign", "false");
        Files.createDirectories(repo.resolve("gitops/apps/base/postgresql"));
    }

    GitopsRepo.Result git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return GitopsRepo.run(repo, env, cmd);
    }

    GitopsRepo.Result commit(String path, String content) throws IOException {
        Path f = repo.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        assertThat(git("add", path).code()).isZero();
        return git("commit", "-q", "-m", "add " + path);
    }

    int commits() {
        GitopsRepo.Result r = git("rev-list", "--count", "HEAD");
        return r.code() == 0 ? Integer.parseInt(r.out().trim()) : 0;
    }

    @Test
    void refusesAPlaintextSecretWhenInstalledThroughCoreHooksPath() throws IOException {
        git("config", "core.hooksPath", HOOKS.toString());
        GitopsRepo.Result r = commit("gitops/apps/base/postgresql/secret.enc.yaml", GitopsRepo.read(PLAINTEXT));
        assertThat(r.code()).as("commit of a plaintext Secret must fail").isNotZero();
        assertThat(r.err()).contains("gitops/apps/base/postgresql/secret.enc.yaml")
                .contains("not SOPS-encrypted")
                .contains("cluster-mgr secrets create")
                .doesNotContain("not-a-real-password"); // never echo the secret itself
        assertThat(commits()).isZero();
    }

    @Test
    void refusesAPlaintextSecretWhenInstalledAsASymlink() throws IOException {
        Path hook = repo.resolve(".git/hooks/pre-commit");
        Files.deleteIfExists(hook);
        Files.createSymbolicLink(hook, HOOKS.resolve("pre-commit"));
        GitopsRepo.Result r = commit("secret.yaml", GitopsRepo.read(PLAINTEXT));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("secret.yaml").contains("not SOPS-encrypted");
    }

    @Test
    void acceptsRealSopsOutputAndOrdinaryManifests() throws IOException {
        git("config", "core.hooksPath", HOOKS.toString());
        GitopsRepo.Result r = commit("gitops/apps/base/postgresql/secret.enc.yaml", GitopsRepo.read(SecretsTest.REAL_SOPS_SECRET));
        assertThat(r.code()).as("real sops output must pass: %s", r.err()).isZero();
        r = commit("gitops/apps/base/postgresql/helmrelease.yaml",
                GitopsRepo.read(GitopsRepo.gitops().resolve("apps/base/postgresql/helmrelease.yaml")));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(commits()).isEqualTo(2);
    }

    @Test
    void refusesAPlaintextValueAddedToAnEncryptedSecret() throws IOException {
        git("config", "core.hooksPath", HOOKS.toString());
        String tampered = GitopsRepo.read(SecretsTest.REAL_SOPS_SECRET)
                .replaceFirst("(?m)^stringData:\\n", "stringData:\n  token: plain-text-token\n");
        GitopsRepo.Result r = commit("s.enc.yaml", tampered);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("stringData.token");
    }

    @Test
    void refusesSecretGeneratorsAndAgePrivateKeys() throws IOException {
        git("config", "core.hooksPath", HOOKS.toString());
        GitopsRepo.Result r = commit("k/kustomization.yaml", """
                resources: []
                secretGenerator:
                  - name: x
                    literals: [password=hunter2]
                """);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("secretGenerator");
        git("reset", "-q");
        Path key = GitopsRepo.shared().resolve("sops/fluxkc-keys-age.txt");
        String keyText = GitopsRepo.read(key);
        String keyLine = keyText.lines().filter(l -> l.startsWith("AGE-SECRET-KEY-1")).findFirst().orElseThrow();
        r = commit("age.txt", keyText);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("age private key").doesNotContain(keyLine);
    }

    @Test
    void theWholeRepositoryPassesTheSameCheck() {
        GitopsRepo.Result r = GitopsRepo.run(GitopsRepo.root(), "bash", "scripts/check-secrets.sh");
        assertThat(r.code()).as("scripts/check-secrets.sh over every tracked file:%n%s", r.err()).isZero();
        GitopsRepo.Result f = GitopsRepo.run(GitopsRepo.root(), "bash", "scripts/check-secrets.sh", PLAINTEXT.toString());
        // explicit files under src/test/resources are fixtures and skipped; copy it elsewhere to check it
        assertThat(f.code()).isZero();
    }
}
