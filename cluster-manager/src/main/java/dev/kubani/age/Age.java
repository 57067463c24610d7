package dev.kubani.age;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * age encryption (age-encryption.org/v1) with X25519 recipients, through the jagged library:
 * key generation, armored encryption to several recipients, and decryption with identities.
 * Nothing here prints or logs a key.
 */
public final class Age {
    private static final Pattern RECIPIENT = Pattern.compile("age1[02-9ac-hj-np-z]{58}");
    private static final Pattern IDENTITY = Pattern.compile("AGE-SECRET-KEY-" + "1[02-9AC-HJ-NP-Z]{58}");

    private Age() {
    }

    /** A fresh X25519 identity from the JDK's SecureRandom. */
    public static Identity generate() {
        try {
            KeyPair kp = new X25519KeyPairGenerator().generateKeyPair();
            return new Identity(kp.getPrivate().toString(), kp.getPublic().toString());
        } catch (GeneralSecurityException e) {
            throw new AgeException("cannot generate an age key: " + e.getMessage(), e);
        }
    }

    /** True when {@code s} has the shape of an X25519 recipient (age1...). */
    public static boolean isRecipient(String s) {
        return s != null && RECIPIENT.matcher(s).matches();
    }

    /** True when {@code s} has the shape of an X25519 identity (AGE-SECRET-KEY-…). */
    public static boolean isIdentity(String s) {
        return s != null && IDENTITY.matcher(s).matches();
    }

    /** The recipient (public key) of an identity. */
    public static String recipientOf(String identity) {
        if (!isIdentity(identity)) {
            throw new AgeException("not an age X25519 identity (expected AGE-SECRET-KEY- followed by 59 characters)");
        }
        try {
            return new X25519KeyFactory().translateKey(
                    new SecretKeySpec(identity.getBytes(StandardCharsets.US_ASCII), "X25519")).toString();
        } catch (GeneralSecurityException e) {
            throw new AgeException("not a valid age identity (checksum or key does not verify)", e);
        }
    }

    /**
     * Identities in the text of an age key file (age-keygen's format): one AGE-SECRET-KEY-… line per
     * line, with blank lines and # comments ignored. Unknown lines are an error that names the
     * line but never echoes its content.
     */
    public static List<String> parseIdentities(String text, String source) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (!isIdentity(l)) {
                throw new AgeException(source + ":" + (i + 1)
                        + ": not an age identity (expected AGE-SECRET-KEY-…; ssh and plugin keys are not supported)");
            }
            out.add(l);
        }
        return out;
    }

    /** The text of an age key file as age-keygen writes it (creation time, public key, identity). */
    public static String keyFileText(Identity id, String createdRfc3339) {
        return "# created: " + createdRfc3339 + "\n# public key: " + id.recipient() + "\n" + id.secretKey() + "\n";
    }

    /** Encrypts {@code data} to every recipient; returns the ASCII-armored age file. */
    public static String encryptArmored(byte[] data, List<String> recipients) {
        if (recipients.isEmpty()) {
            throw new AgeException("no age recipient to encrypt to");
        }
        try {
            List<RecipientStanzaWriter> writers = new ArrayList<>();
            for (String r : recipients) {
                if (!isRecipient(r)) {
                    throw new AgeException("'" + r + "' is not an age X25519 recipient (age1 followed by 58 characters)");
                }
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r));
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (WritableByteChannel ch = new ArmoredEncryptingChannelFactory()
                    .newEncryptingChannel(Channels.newChannel(bos), writers)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            return bos.toString(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | IOException e) {
            throw new AgeException("age encryption failed: " + e.getMessage(), e);
        }
    }

    /** Decrypts an armored or binary age file with any of the identities. */
    public static byte[] decrypt(byte[] ageFile, List<String> identities) {
        if (identities.isEmpty()) {
            throw new AgeException("no age identity to decrypt with");
        }
        try {
            List<RecipientStanzaReader> readers = new ArrayList<>();
            for (String id : identities) {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(id));
            }
            boolean armored = startsWith(ageFile, "-----BEGIN AGE ENCRYPTED FILE-----");
            StandardDecryptingChannelFactory f = armored ? new ArmoredDecryptingChannelFactory()
                    : new StandardDecryptingChannelFactory();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ReadableByteChannel ch = f.newDecryptingChannel(
                    Channels.newChannel(new ByteArrayInputStream(ageFile)), readers)) {
                ByteBuffer buf = ByteBuffer.allocate(8192);
                while (ch.read(buf) >= 0) {
                    buf.flip();
                    out.write(buf.array(), 0, buf.limit());
                    buf.clear();
                }
            }
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new AgeException("age decryption failed: no matching identity, or the data is damaged ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static boolean startsWith(byte[] data, String prefix) {
        int i = 0;
        while (i < data.length && Character.isWhitespace(data[i])) {
            i++;
        }
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (data.length - i < p.length) {
            return false;
        }
        for (int j = 0; j < p.length; j++) {
            if (data[i + j] != p[j]) {
                return false;
            }
        }
        return true;
    }

    /** An X25519 identity and its recipient. {@link #toString()} never shows the secret key. */
    public record Identity(String secretKey, String recipient) {
        @Override
        public String toString() {
            return "Identity[" + recipient + "]";
        }
    }

    /** A failure of age key handling or encryption; its message never holds key material. */
    public static final class AgeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AgeException(String message) {
            super(message);
        }

        public AgeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
