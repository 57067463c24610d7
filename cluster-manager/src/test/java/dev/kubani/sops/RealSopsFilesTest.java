package dev.kubani.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubani decrypts files produced by the real sops binary (3.9.0 and 3.10.2), and detects tampering. */
class RealSopsFilesTest {

    @ParameterizedTest(name = "{0}")
    @DisplayName("SOPS interoperability: every real sops file in ../shared/sops decrypts, values and MAC verified")
    @CsvSource({
        "fluxkc-algorithms-age.yaml, fluxkc-keys-age.txt, YAML, stringData.key, value",
        "fluxkc-global-secret.yaml, fluxkc-keys-age-global.txt, YAML, stringData.key, global-value",
        "fluxkc-patches-merge1.yaml, fluxkc-keys-age.txt, YAML, stringData.key, merge1",
        "fluxkc-patches-merge2.yaml, fluxkc-keys-age.txt, YAML, stringData.merge2, merge2",
        "fluxkc-files-file.txt, fluxkc-keys-age.txt, BINARY, data, value",
        "fluxkc-component-env.env, fluxkc-keys-age.txt, DOTENV, key, value",
        "fluxkc-envs-env.env, fluxkc-keys-age.txt, DOTENV, key, value",
        "fluxkc-remote-env.env, fluxkc-keys-age.txt, DOTENV, key, value",
    })
    void decryptsRealSopsFiles(String file, String key, SopsFormat format, String path, String expected) {
        Sops.Decrypted d = Sops.decrypt(SharedFixtures.read(file), format, file, SharedFixtures.key(key));
        Object v = d.doc();
        for (String p : path.split("\\.")) {
            v = ((Map<?, ?>) v).get(p);
        }
        assertThat(v).isEqualTo(expected);
        assertThat(d.doc()).doesNotContainKey("sops");
        if (format == SopsFormat.YAML) {
            assertThat(d.doc()).containsEntry("apiVersion", "v1").containsEntry("kind", "Secret");
        }
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("The format detected from the file name matches (YAML, JSON-stored binary, dotenv)")
    @CsvSource({"fluxkc-algorithms-age.yaml, YAML", "fluxkc-files-file.txt, BINARY", "fluxkc-envs-env.env, DOTENV"})
    void formatFromName(String file, SopsFormat expected) {
        assertThat(SopsFormat.forFile(java.nio.file.Path.of(file))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("The wrong age key is refused with a message naming the recipients, not the key")
    @CsvSource({"fluxkc-global-secret.yaml, fluxkc-keys-age.txt", "fluxkc-algorithms-age.yaml, fluxkc-keys-age-global.txt"})
    void wrongKey(String file, String key) {
        List<String> ids = SharedFixtures.key(key);
        assertThatThrownBy(() -> Sops.decrypt(SharedFixtures.read(file), SopsFormat.YAML, file, ids))
                .isInstanceOf(SopsException.class)
                .hasMessageContaining("none of the age keys")
                .hasMessageNotContaining("AGE-SECRET-KEY");
    }

    @org.junit.jupiter.api.Test
    @DisplayName("Tampering with a real file's value, plaintext field, lastmodified or MAC makes decryption fail")
    void tampering() {
        String orig = SharedFixtures.read("fluxkc-algorithms-age.yaml");
        String enc = "ENC[AES256_GCM,data:mHeXsmQ=,iv:vUMpILz3xchORqkzDFvgwENY7EqIHHGJdEF6C8xqbFE=,"
                + "tag:IroV7hykADvD0IUaq6kikA==,type:str]";
        String[][] cases = {
            {"ciphertext changed", "data:mHeXsmQ=", "data:nHeXsmQ="},
            {"tag changed", "tag:IroV7hykADvD0IUaq6kikA==", "tag:JroV7hykADvD0IUaq6kikA=="},
            {"type changed", "type:str]\nsops", "type:int]\nsops"},
            {"plaintext field", "name: age", "name: agf"},
            {"plaintext field added", "kind: Secret", "kind: Secret\nextra: x"},
            {"lastmodified changed", "2024-11-12T13:33:42Z", "2024-11-12T13:33:43Z"},
            {"MAC ciphertext", "mac: ENC[AES256_GCM,data:vmrF", "mac: ENC[AES256_GCM,data:wmrF"},
            {"MAC replaced", "mac: ENC[AES256_GCM,data:vmrF", "mac: xENC[AES256_GCM,data:vmrF"},
            {"value moved to another key", "stringData:\n  key:", "stringData:\n  other:"},
            {"value made plaintext", enc, "value"},
            {"recipient's data key damaged", "LKiZDcq+nqKDUI7owZ+xNs2w5SrQ", "LKiZDcq+nqKDUI7owZ+xNs2w5SrR"},
        };
        List<String> ids = SharedFixtures.key("fluxkc-keys-age.txt");
        assertThat(Sops.decrypt(orig, SopsFormat.YAML, "f.yaml", ids).doc()).isNotNull();
        for (String[] c : cases) {
            String f = c[1].replace("\\n", "\n");
            assertThat(orig).as(c[0]).contains(f);
            String changed = orig.replace(f, c[2].replace("\\n", "\n"));
            assertThatThrownBy(() -> Sops.decrypt(changed, SopsFormat.YAML, "f.yaml", ids))
                    .as(c[0]).isInstanceOf(SopsException.class).hasMessageStartingWith("f.yaml");
        }
    }
}
