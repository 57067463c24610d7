package dev.kubani.sops;

import dev.kubani.age.Age;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SOPS's file format in Java, for age recipients: per-value AES-256-GCM with the value's path as
 * additional data, the SHA-512 MAC over the plaintext values (encrypted with the data key, with
 * lastmodified as additional data), and the 32-byte data key wrapped for every age recipient.
 * Reads and writes YAML, JSON, dotenv and binary files; decryption verifies every value's tag
 * and the MAC.
 */
public final class Sops {
    static final String META_KEY = "sops";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Sops() {
    }

    /** A decrypted file: its documents (without the sops block) and the metadata it had. */
    public record Decrypted(List<Map<String, Object>> docs, SopsFormat format, Metadata metadata) {
        /** The first (usually only) document. */
        public Map<String, Object> doc() {
            return docs.get(0);
        }
    }

    // ------------------------------------------------------------------ plain documents

    /** Parses a plaintext file of {@code format} into documents. */
    public static List<Map<String, Object>> parsePlain(String text, SopsFormat format, String source) {
        switch (format) {
            case YAML:
                return YamlCodec.parse(text, source);
            case JSON:
                return List.of(JsonCodec.parse(text, source));
            case DOTENV:
                return List.of(DotenvCodec.parse(text, source));
            case BINARY: {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("data", text);
                return List.of(m);
            }
            default:
                throw new IllegalStateException();
        }
    }

    /** Writes plaintext documents in {@code format} (what {@code sops -d} prints). */
    public static String emitPlain(List<Map<String, Object>> docs, SopsFormat format) {
        switch (format) {
            case YAML:
                return YamlCodec.emit(docs);
            case JSON:
                return JsonCodec.emit(docs.get(0));
            case DOTENV:
                return DotenvCodec.emit(docs.get(0));
            case BINARY: {
                Object d = docs.get(0).get("data");
                return d == null ? "" : String.valueOf(d);
            }
            default:
                throw new IllegalStateException();
        }
    }

    // ------------------------------------------------------------------ encryption

    /** Encrypts with a fresh data key, now as lastmodified, and the JDK's SecureRandom. */
    public static String encrypt(List<Map<String, Object>> docs, SopsFormat format, List<String> recipients, CryptRule rule) {
        return encrypt(docs, format, recipients, rule, Instant.now(), new SecureRandom());
    }

    public static String encrypt(List<Map<String, Object>> docs, SopsFormat format, List<String> recipients,
                                 CryptRule rule, Instant now, SecureRandom random) {
        if (docs.isEmpty()) {
            throw SopsException.invalid("nothing to encrypt: the file holds no document");
        }
        if (format != SopsFormat.YAML && docs.size() > 1) {
            throw SopsException.invalid(format + " files hold one document");
        }
        for (Map<String, Object> d : docs) {
            if (d.containsKey(META_KEY)) {
                throw SopsException.invalid("the file already has a top-level 'sops' key: it is encrypted already");
            }
        }
        if (recipients.isEmpty()) {
            throw SopsException.invalid("no age recipient to encrypt to");
        }
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        ValueCipher cipher = new ValueCipher(random);
        MessageDigest mac = sha512();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : docs) {
            @SuppressWarnings("unchecked")
            Map<String, Object> enc = (Map<String, Object>) encryptNode(d, new ArrayList<>(), rule, dataKey, cipher, mac);
            out.add(enc);
        }
        String lastModified = RFC3339.format(now.truncatedTo(ChronoUnit.SECONDS));
        String macHex = HexFormat.of().withUpperCase().formatHex(mac.digest());
        String encMac = cipher.encrypt(macHex.getBytes(StandardCharsets.US_ASCII), "str", dataKey, lastModified);
        List<Metadata.AgeEntry> ages = new ArrayList<>();
        for (String r : new LinkedHashSet<>(recipients)) {
            ages.add(new Metadata.AgeEntry(r, Age.encryptArmored(dataKey, List.of(r))));
        }
        java.util.Arrays.fill(dataKey, (byte) 0);
        Metadata meta = new Metadata(ages, List.of(), lastModified, encMac, rule, false, Metadata.FORMAT_VERSION);
        return emitEncrypted(out, format, meta);
    }

    private static Object encryptNode(Object node, List<String> path, CryptRule rule, byte[] key, ValueCipher cipher,
                                      MessageDigest mac) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                path.add(k);
                out.put(k, encryptNode(e.getValue(), path, rule, key, cipher, mac));
                path.remove(path.size() - 1);
            }
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object item : l) {
                out.add(encryptNode(item, path, rule, key, cipher, mac));
            }
            return out;
        }
        if (node == null) {
            return null;
        }
        byte[] plain = Values.toBytes(node);
        mac.update(plain);
        if (!rule.encrypts(path) || node instanceof String s && s.isEmpty()) {
            return node;
        }
        return cipher.encrypt(plain, Values.type(node), key, aad(path));
    }

    private static String emitEncrypted(List<Map<String, Object>> docs, SopsFormat format, Metadata meta) {
        switch (format) {
            case YAML:
            case JSON:
            case BINARY: {
                List<Map<String, Object>> withMeta = new ArrayList<>();
                for (Map<String, Object> d : docs) {
                    Map<String, Object> c = new LinkedHashMap<>(d);
                    c.put(META_KEY, meta.toMap());
                    withMeta.add(c);
                }
                return format == SopsFormat.YAML ? YamlCodec.emit(withMeta) : JsonCodec.emit(withMeta.get(0));
            }
            case DOTENV: {
                Map<String, Object> c = new LinkedHashMap<>(docs.get(0));
                for (Map.Entry<String, String> e : meta.toFlat().entrySet()) {
                    c.put(META_KEY + "_" + e.getKey(), e.getValue());
                }
                return DotenvCodec.emit(c);
            }
            default:
                throw new IllegalStateException();
        }
    }

    // ------------------------------------------------------------------ decryption

    /** Reads the metadata of an encrypted file without decrypting anything. */
    public static Metadata metadata(String text, SopsFormat format, String source) {
        return split(text, format, source).metadata;
    }

    private record Split(List<Map<String, Object>> docs, Metadata metadata) {
    }

    private static Split split(String text, SopsFormat format, String source) {
        if (format == SopsFormat.DOTENV) {
            Map<String, Object> all = DotenvCodec.parse(text, source);
            Map<String, Object> data = new LinkedHashMap<>();
            Map<String, String> flat = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : all.entrySet()) {
                if (e.getKey().startsWith(META_KEY + "_")) {
                    flat.put(e.getKey().substring(META_KEY.length() + 1), String.valueOf(e.getValue()));
                } else {
                    data.put(e.getKey(), e.getValue());
                }
            }
            if (flat.isEmpty()) {
                throw notEncrypted(source);
            }
            return new Split(List.of(data), Metadata.fromFlat(flat, source));
        }
        List<Map<String, Object>> docs = format == SopsFormat.YAML ? YamlCodec.parse(text, source)
                : List.of(JsonCodec.parse(text, source));
        Metadata meta = null;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : docs) {
            Map<String, Object> c = new LinkedHashMap<>(d);
            Object m = c.remove(META_KEY);
            if (m != null && meta == null) {
                meta = Metadata.fromMap(m, source);
            }
            out.add(c);
        }
        if (meta == null) {
            throw notEncrypted(source);
        }
        return new Split(out, meta);
    }

    private static SopsException notEncrypted(String source) {
        return SopsException.invalid(source + ": not a SOPS-encrypted file (no 'sops' metadata)");
    }

    /**
     * Decrypts a file with any of the age identities: unwraps the data key, decrypts and checks
     * every value, then verifies the MAC. Fails on a wrong key, a changed value, or a changed MAC.
     */
    public static Decrypted decrypt(String text, SopsFormat format, String source, List<String> identities) {
        SopsFormat storage = format == SopsFormat.BINARY ? SopsFormat.JSON : format;
        Split s = split(text, storage, source);
        Metadata meta = s.metadata;
        byte[] key = dataKey(meta, identities, source);
        try {
            MessageDigest mac = sha512();
            if (meta.macOnlyEncrypted()) {
                mac.update(sha256("sops"));
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> d : s.docs) {
                @SuppressWarnings("unchecked")
                Map<String, Object> dec = (Map<String, Object>) decryptNode(d, new ArrayList<>(), "", meta, key, mac, source);
                out.add(dec);
            }
            String computed = HexFormat.of().withUpperCase().formatHex(mac.digest());
            if (!ValueCipher.isEncrypted(meta.mac())) {
                throw SopsException.failed(source + ": sops.mac is not an encrypted value: the file was changed");
            }
            ValueCipher.Plain stored = ValueCipher.decrypt(meta.mac(), key, meta.lastModified(), source + ": sops.mac");
            String storedHex = new String(stored.bytes(), StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(storedHex.getBytes(StandardCharsets.UTF_8), computed.getBytes(StandardCharsets.UTF_8))) {
                throw SopsException.failed(source + ": MAC mismatch: the file's values were changed after it was encrypted"
                        + " (re-create it, or restore it from git)");
            }
            return new Decrypted(out, format, meta);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    private static Object decryptNode(Object node, List<String> path, String display, Metadata meta, byte[] key,
                                      MessageDigest mac, String source) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                path.add(k);
                out.put(k, decryptNode(e.getValue(), path, display.isEmpty() ? k : display + "." + k, meta, key, mac, source));
                path.remove(path.size() - 1);
            }
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(decryptNode(l.get(i), path, display + "[" + i + "]", meta, key, mac, source));
            }
            return out;
        }
        if (node == null) {
            return null;
        }
        boolean enc = meta.rule().encrypts(path);
        if (!enc) {
            if (!meta.macOnlyEncrypted()) {
                mac.update(Values.toBytes(node));
            }
            return node;
        }
        if (node instanceof String s && s.isEmpty()) {
            return node;
        }
        String where = source + ": " + display;
        if (!(node instanceof String str) || !ValueCipher.isEncrypted(str)) {
            throw SopsException.failed(where + ": value is not encrypted, but the file's "
                    + meta.rule().kind().key + " rule says it must be (plaintext was put into an encrypted file)");
        }
        ValueCipher.Plain p = ValueCipher.decrypt(str, key, aad(path), where);
        Object v = Values.fromBytes(p.bytes(), p.type(), where);
        mac.update(Values.toBytes(v));
        return v;
    }

    private static byte[] dataKey(Metadata meta, List<String> identities, String source) {
        if (meta.age().isEmpty()) {
            String others = meta.otherKeyTypes().isEmpty() ? "" : " (it has " + String.join(", ", meta.otherKeyTypes())
                    + " keys; use sops itself for those)";
            throw SopsException.invalid(source + ": the file has no age recipient" + others);
        }
        if (identities.isEmpty()) {
            throw SopsException.invalid(source + ": no age key to decrypt with: set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY,"
                    + " or pass --age-key-file");
        }
        for (Metadata.AgeEntry a : meta.age()) {
            try {
                byte[] k = Age.decrypt(a.enc().strip().concat("\n").getBytes(StandardCharsets.US_ASCII), identities);
                if (k.length == 32) {
                    return k;
                }
            } catch (Age.AgeException e) {
                // not for one of our identities; try the next recipient
            }
        }
        Set<String> mine = new LinkedHashSet<>();
        for (String id : identities) {
            try {
                mine.add(Age.recipientOf(id));
            } catch (Age.AgeException e) {
                mine.add("(an invalid key)");
            }
        }
        List<String> theirs = new ArrayList<>();
        for (Metadata.AgeEntry a : meta.age()) {
            theirs.add(a.recipient());
        }
        throw SopsException.failed(source + ": none of the age keys given (" + String.join(", ", mine)
                + ") can open the file's data key; it is encrypted for " + String.join(", ", theirs));
    }

    // ------------------------------------------------------------------ MAC (for checks)

    /**
     * The MAC SOPS computes over a plaintext tree (uppercase hex of SHA-512 over the values in
     * document order), for independent verification.
     */
    public static String macOf(List<Map<String, Object>> plainDocs, CryptRule rule, boolean macOnlyEncrypted) {
        MessageDigest mac = sha512();
        if (macOnlyEncrypted) {
            mac.update(sha256("sops"));
        }
        for (Map<String, Object> d : plainDocs) {
            hashNode(d, new ArrayList<>(), rule, macOnlyEncrypted, mac);
        }
        return HexFormat.of().withUpperCase().formatHex(mac.digest());
    }

    private static void hashNode(Object node, List<String> path, CryptRule rule, boolean macOnly, MessageDigest mac) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                path.add(String.valueOf(e.getKey()));
                hashNode(e.getValue(), path, rule, macOnly, mac);
                path.remove(path.size() - 1);
            }
        } else if (node instanceof List<?> l) {
            for (Object item : l) {
                hashNode(item, path, rule, macOnly, mac);
            }
        } else if (node != null && (!macOnly || rule.encrypts(path))) {
            mac.update(Values.toBytes(node));
        }
    }

    static String aad(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String k : path) {
            sb.append(k).append(':');
        }
        return sb.toString();
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
