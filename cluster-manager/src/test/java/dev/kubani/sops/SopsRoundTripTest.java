package dev.kubani.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubani.age.Age;
import dev.kubani.testutil.Seeds;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SopsRoundTripTest {
    private static final Age.Identity ID = Age.generate();
    private static final Age.Identity OTHER = Age.generate();

    private static final CryptRule[] RULES = {CryptRule.DEFAULT, CryptRule.KUBERNETES,
        CryptRule.of(CryptRule.Kind.ENCRYPTED_SUFFIX, "word"), CryptRule.of(CryptRule.Kind.UNENCRYPTED_REGEX, "^(user|port)")};

    @Test
    @DisplayName("Encrypt then decrypt gives the same document, for YAML, JSON and dotenv, every rule (seeded, 150 cases)")
    void roundTrip() {
        Seeds.forAll("SOPS round trip", 150, rnd -> {
            SopsFormat f = SopsFormat.values()[rnd.nextInt(3)];
            CryptRule rule = RULES[rnd.nextInt(RULES.length)];
            Map<String, Object> doc = Trees.doc(rnd, f == SopsFormat.DOTENV);
            String enc = Sops.encrypt(List.of(doc), f, List.of(ID.recipient()), rule, Instant.now(), new SecureRandom());
            // the text parses back as the same format, with the sops block
            Sops.Decrypted d = Sops.decrypt(enc, f, "t", List.of(ID.secretKey()));
            assertThat(d.doc()).as(f + " " + rule + "\n" + enc).isEqualTo(doc);
            assertThat(d.metadata().rule().kind()).isEqualTo(rule.kind());
            // and the plain emitter writes something that parses back to the same document
            String plain = Sops.emitPlain(d.docs(), f);
            assertThat(Sops.parsePlain(plain, f, "p").get(0)).as(plain).isEqualTo(doc);
        });
    }

    @Test
    @DisplayName("Values left in plaintext by the rule stay readable; encrypted ones never appear in the output")
    void rules() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Secret");
        doc.put("metadata", Map.of("name", "s"));
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("password", "hunter2-very-secret");
        sd.put("count", 42L);
        sd.put("multi", "line one\nline two\n");
        sd.put("list", List.of("l1-secret", 2L, true, 1.25));
        doc.put("stringData", sd);
        String enc = Sops.encrypt(List.of(doc), SopsFormat.YAML, List.of(ID.recipient(), OTHER.recipient()),
                CryptRule.KUBERNETES);
        assertThat(enc).contains("apiVersion: v1", "kind: Secret", "name: s", "encrypted_regex: ^(data|stringData)$")
                .doesNotContain("hunter2", "line one", "l1-secret")
                .contains("type:int]", "type:bool]", "type:float]", "type:str]");
        // either recipient opens it
        assertThat(Sops.decrypt(enc, SopsFormat.YAML, "x", List.of(OTHER.secretKey())).doc()).isEqualTo(doc);
        Map<String, Object> d2 = new LinkedHashMap<>();
        d2.put("user_unencrypted", "alice");
        d2.put("password", "s3cret");
        String enc2 = Sops.encrypt(List.of(d2), SopsFormat.JSON, List.of(ID.recipient()), CryptRule.DEFAULT);
        assertThat(enc2).contains("\"user_unencrypted\" : \"alice\"").doesNotContain("s3cret");
    }

    @Test
    @DisplayName("The MAC covers plaintext values and order: changing or reordering a plaintext value fails")
    void macCoversPlaintextAndOrder() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a_unencrypted", "one");
        doc.put("b_unencrypted", "two");
        doc.put("secret", "x");
        String enc = Sops.encrypt(List.of(doc), SopsFormat.DOTENV, List.of(ID.recipient()), CryptRule.DEFAULT);
        List<String> ids = List.of(ID.secretKey());
        assertThat(Sops.decrypt(enc, SopsFormat.DOTENV, "e", ids).doc()).isEqualTo(doc);
        assertThatThrownBy(() -> Sops.decrypt(enc.replace("a_unencrypted=one", "a_unencrypted=One"), SopsFormat.DOTENV, "e", ids))
                .hasMessageContaining("MAC mismatch");
        List<String> lines = new ArrayList<>(List.of(enc.split("\n")));
        String first = lines.remove(0);
        lines.add(1, first);
        String swapped = String.join("\n", lines) + "\n";
        assertThatThrownBy(() -> Sops.decrypt(swapped, SopsFormat.DOTENV, "e", ids)).hasMessageContaining("MAC mismatch");
    }

    @Test
    @DisplayName("Bad input: two rules, comment rules, Shamir groups, no key, not encrypted: one clear line each")
    void badInput() {
        String enc = Sops.encrypt(List.of(Map.of("k", "v")), SopsFormat.YAML, List.of(ID.recipient()), CryptRule.DEFAULT);
        List<String> ids = List.of(ID.secretKey());
        assertThatThrownBy(() -> Sops.decrypt(enc.replace("  version:", "  encrypted_regex: x\n  version:"), SopsFormat.YAML, "f", ids))
                .hasMessageContaining("only one encryption rule");
        assertThatThrownBy(() -> Sops.decrypt(enc.replace("unencrypted_suffix:", "encrypted_comment_regex:"), SopsFormat.YAML, "f", ids))
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> Sops.decrypt("a: 1\n", SopsFormat.YAML, "f", ids)).hasMessage("f: not a SOPS-encrypted file (no 'sops' metadata)");
        assertThatThrownBy(() -> Sops.decrypt(enc, SopsFormat.YAML, "f", List.of())).hasMessageContaining("SOPS_AGE_KEY_FILE");
        assertThatThrownBy(() -> Sops.decrypt("a: [1\n", SopsFormat.YAML, "f", ids)).hasMessageStartingWith("f:");
        assertThatThrownBy(() -> Sops.encrypt(List.of(Map.of("sops", "x")), SopsFormat.YAML, List.of(ID.recipient()), CryptRule.DEFAULT))
                .hasMessageContaining("encrypted already");
    }
}
