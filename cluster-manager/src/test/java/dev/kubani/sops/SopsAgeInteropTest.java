package dev.kubani.sops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubani.age.Age;
import dev.kubani.testutil.Proc;
import dev.kubani.testutil.Seeds;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * SOPS interoperability against implementations we did not write: the npm package sops-age
 * decrypts Kubani's files (it checks every value's GCM tag, not the MAC), and the MAC is checked
 * here by an independent implementation of SOPS's documented algorithm, with the data key
 * unwrapped by Debian's age binary.
 */
class SopsAgeInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path nodeDir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findNode() {
        nodeDir = Path.of(System.getProperty("kubani.repo.root", "..")).resolve("cluster-manager/src/test/node");
        assertThat(nodeDir.resolve("node_modules/sops-age/package.json"))
                .as("sops-age is not installed: run scripts/deps.d/secrets.sh (npm ci in " + nodeDir + ")").exists();
    }

    @Test
    @DisplayName("SOPS interoperability: sops-age (npm) decrypts Kubani's YAML, JSON and dotenv files (seeded, 9 files)")
    void sopsAgeDecryptsKubaniFiles() throws Exception {
        Age.Identity id = Age.generate();
        Random seeds = new Random(Seeds.base());
        for (int i = 0; i < 9; i++) {
            Random rnd = new Random(seeds.nextLong());
            SopsFormat f = SopsFormat.values()[i % 3];
            CryptRule rule = i % 2 == 0 ? CryptRule.DEFAULT : CryptRule.of(CryptRule.Kind.UNENCRYPTED_REGEX, "^note");
            // sops-age drops all-digit keys from the AAD path (it takes them for list indices; sops
            // does not), and JavaScript numbers hold integers up to 2^53 only: this test avoids
            // both (its dotenv parser also drops keys with spaces); RealSopsFilesTest and the MAC check below cover sops's own rules.
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) noDigitKeys(Trees.doc(rnd, f == SopsFormat.DOTENV));
            doc.put("fixed", f == SopsFormat.DOTENV ? "two\nlines" : Map.of("int", 7L, "list", List.of("a", 1.5, false)));
            String enc = Sops.encrypt(List.of(doc), f, List.of(id.recipient()), rule);
            Path file = tmp.resolve("f" + i + "." + (f == SopsFormat.DOTENV ? "env" : f.name().toLowerCase()));
            Files.writeString(file, enc);
            String type = f == SopsFormat.DOTENV ? "env" : f.name().toLowerCase();
            Proc.Out r = Proc.run(List.of("node", nodeDir.resolve("decrypt.mjs").toString(), file.toString(), type),
                    new byte[0], Map.of("SOPS_AGE_KEY", id.secretKey()), nodeDir);
            assertThat(r.code()).as("sops-age on " + f + ":\n" + r.stderr() + "\n" + enc).isZero();
            JsonNode got = JSON.readTree(r.stdout());
            assertThat(normalize(got)).as(enc).isEqualTo(normalize(JSON.valueToTree(doc)));
            assertThat(macMatches(enc, f, doc, rule, id)).as("independent MAC check of " + f).isTrue();
        }
    }

    @Test
    @DisplayName("sops-age refuses a Kubani file whose value was tampered with (GCM tag check)")
    void sopsAgeRefusesTampered() throws Exception {
        Age.Identity id = Age.generate();
        String enc = Sops.encrypt(List.of(Map.of("password", "correct horse")), SopsFormat.YAML,
                List.of(id.recipient()), CryptRule.DEFAULT);
        Matcher m = Pattern.compile("data:([A-Za-z0-9+/]{4})").matcher(enc);
        assertThat(m.find()).isTrue();
        String first = m.group(1);
        String flipped = (first.charAt(0) == 'A' ? "B" : "A") + first.substring(1);
        Path file = tmp.resolve("t.yaml");
        Files.writeString(file, enc.replaceFirst("data:" + Pattern.quote(first), "data:" + flipped));
        Proc.Out r = Proc.run(List.of("node", nodeDir.resolve("decrypt.mjs").toString(), file.toString(), "yaml"),
                new byte[0], Map.of("SOPS_AGE_KEY", id.secretKey()), nodeDir);
        assertThat(r.code()).isNotZero();
        assertThat(r.out()).doesNotContain("correct horse");
    }

    private static Object noDigitKeys(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String.valueOf(k).matches("\\d+") ? "k" + k : String.valueOf(k)).replace(' ', '_'),
                    noDigitKeys(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(noDigitKeys(v)));
            return out;
        }
        if (o instanceof Long l && Math.abs(l) > (1L << 53)) {
            return l % (1L << 53);
        }
        return o;
    }

    /** Numbers compare by value (1.0 == 1), everything else structurally. */
    private static Object normalize(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                var e = it.next();
                m.put(e.getKey(), normalize(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(c -> l.add(normalize(c)));
            return l;
        }
        if (n.isNumber()) {
            return new BigDecimal(n.asText()).stripTrailingZeros().toPlainString();
        }
        return n.isNull() ? "null" : n.asText();
    }

    // ------------------------------------------------------------------ independent MAC check

    /**
     * SOPS's documented MAC, written here from the format notes and independent of Kubani's code:
     * unwrap the data key with Debian's age, SHA-512 over every non-null leaf's plaintext in
     * document order, compare with sops.mac decrypted (AES-256-GCM, AAD = lastmodified).
     */
    private boolean macMatches(String enc, SopsFormat f, Map<String, Object> plain, CryptRule rule, Age.Identity id)
            throws Exception {
        String ageEnc;
        String lastModified;
        String mac;
        if (f == SopsFormat.DOTENV) {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String line : enc.split("\n")) {
                int eq = line.indexOf('=');
                kv.put(line.substring(0, eq), line.substring(eq + 1).replace("\\n", "\n"));
            }
            ageEnc = kv.get("sops_age__list_0__map_enc");
            lastModified = kv.get("sops_lastmodified");
            mac = kv.get("sops_mac");
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> all = f == SopsFormat.YAML ? new Yaml().load(enc) : JSON.readValue(enc, Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> sops = (Map<String, Object>) all.get("sops");
            @SuppressWarnings("unchecked")
            Map<String, Object> age0 = ((List<Map<String, Object>>) sops.get("age")).get(0);
            ageEnc = (String) age0.get("enc");
            lastModified = String.valueOf(sops.get("lastmodified"));
            mac = (String) sops.get("mac");
        }
        Path key = tmp.resolve("age-" + System.nanoTime() + ".txt");
        Files.writeString(key, id.secretKey() + "\n");
        Proc.Out dk = Proc.run(List.of("age", "-d", "-i", key.toString()), ageEnc.getBytes(StandardCharsets.US_ASCII), Map.of(), tmp);
        assertThat(dk.code()).as(dk.stderr()).isZero();
        byte[] dataKey = dk.stdout();
        assertThat(dataKey).hasSize(32);

        MessageDigest sha = MessageDigest.getInstance("SHA-512");
        hash(plain, sha);
        String expected = HexFormat.of().withUpperCase().formatHex(sha.digest());

        Matcher m = Pattern.compile("ENC\\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:str\\]").matcher(mac);
        assertThat(m.matches()).isTrue();
        Base64.Decoder b = Base64.getDecoder();
        byte[] ct = b.decode(m.group(1));
        byte[] iv = b.decode(m.group(2));
        byte[] tag = b.decode(m.group(3));
        assertThat(iv).hasSize(32);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(lastModified.getBytes(StandardCharsets.UTF_8));
        c.update(ct);
        String stored = new String(c.doFinal(tag), StandardCharsets.US_ASCII);
        assertThat(lastModified).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        return stored.equals(expected);
    }

    private static void hash(Object node, MessageDigest sha) {
        if (node instanceof Map<?, ?> m) {
            m.values().forEach(v -> hash(v, sha));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> hash(v, sha));
        } else if (node instanceof Boolean bo) {
            sha.update((bo ? "True" : "False").getBytes(StandardCharsets.US_ASCII));
        } else if (node instanceof Double d) {
            // Go's FormatFloat(f, 'f', -1, 64)
            sha.update(new BigDecimal(String.valueOf(d)).stripTrailingZeros().toPlainString().getBytes(StandardCharsets.US_ASCII));
        } else if (node != null) {
            sha.update(String.valueOf(node).getBytes(StandardCharsets.UTF_8));
        }
    }
}
