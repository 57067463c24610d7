package dev.kubani.age;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubani.testutil.Proc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** age interoperability with Debian's age and age-keygen binaries, in both directions. */
class AgeBinaryInteropTest {
    @TempDir
    Path tmp;

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Test
    @DisplayName("age interoperability: Kubani (jagged) encrypts, Debian's age -d decrypts, with Kubani's key file")
    void kubaniToAge() throws Exception {
        Age.Identity id = Age.generate();
        Age.Identity other = Age.generate();
        Path key = tmp.resolve("k.txt");
        Files.writeString(key, Age.keyFileText(id, "2025-01-01T00:00:00Z"));
        byte[] data = randomBytes(32);
        String armored = Age.encryptArmored(data, List.of(other.recipient(), id.recipient()));
        assertThat(armored).startsWith("-----BEGIN AGE ENCRYPTED FILE-----\n").endsWith("-----END AGE ENCRYPTED FILE-----\n");
        Proc.Out r = Proc.run(List.of("age", "-d", "-i", key.toString()), armored.getBytes(StandardCharsets.US_ASCII), Map.of(), tmp);
        assertThat(r.code()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(data);
    }

    @Test
    @DisplayName("age interoperability: Debian's age-keygen and age -r encrypt (armored and binary), Kubani decrypts")
    void ageToKubani() throws Exception {
        Path key = tmp.resolve("keygen.txt");
        Proc.Out kg = Proc.run(List.of("age-keygen", "-o", key.toString()), new byte[0], Map.of(), tmp);
        assertThat(kg.code()).as(kg.stderr()).isZero();
        String text = Files.readString(key);
        List<String> ids = Age.parseIdentities(text, "keygen.txt");
        assertThat(ids).hasSize(1);
        String recipient = text.lines().filter(l -> l.startsWith("# public key: ")).findFirst().orElseThrow().substring(14);
        assertThat(Age.recipientOf(ids.get(0))).isEqualTo(recipient);
        byte[] data = randomBytes(1000);
        for (boolean armor : new boolean[] {true, false}) {
            List<String> cmd = armor ? List.of("age", "-a", "-r", recipient) : List.of("age", "-r", recipient);
            Proc.Out enc = Proc.run(cmd, data, Map.of(), tmp);
            assertThat(enc.code()).as(enc.stderr()).isZero();
            assertThat(Age.decrypt(enc.stdout(), ids)).isEqualTo(data);
            assertThatThrownBy(() -> Age.decrypt(enc.stdout(), List.of(Age.generate().secretKey())))
                    .isInstanceOf(Age.AgeException.class).hasMessageNotContaining("AGE-SECRET-KEY");
        }
    }

    @Test
    @DisplayName("Key file parsing names the bad line without echoing it; identities and recipients are validated")
    void parsing() {
        Age.Identity id = Age.generate();
        assertThat(Age.isRecipient(id.recipient())).isTrue();
        assertThat(Age.isIdentity(id.secretKey())).isTrue();
        assertThat(Age.recipientOf(id.secretKey())).isEqualTo(id.recipient());
        assertThat(id.toString()).doesNotContain(id.secretKey());
        assertThatThrownBy(() -> Age.parseIdentities("# c\n\nAGE-SECRET-KEY-1NOTVALIDsecretish\n", "k.txt"))
                .hasMessageStartingWith("k.txt:3:").hasMessageNotContaining("NOTVALID");
        assertThatThrownBy(() -> Age.encryptArmored(new byte[1], List.of("age1nope")))
                .hasMessageContaining("not an age X25519 recipient");
    }
}
