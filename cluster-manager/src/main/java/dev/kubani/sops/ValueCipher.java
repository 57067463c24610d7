package dev.kubani.sops;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SOPS's value encryption: AES-256-GCM with a 32-byte random IV and a 16-byte tag, the value's
 * path as additional data, written as {@code ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]}
 * in standard padded base64.
 */
public final class ValueCipher {
    static final int IV_BYTES = 32;
    static final int TAG_BYTES = 16;
    private static final Pattern ENC = Pattern.compile(
            "^ENC\\[AES256_GCM,data:([A-Za-z0-9+/=]*),iv:([A-Za-z0-9+/=]+),tag:([A-Za-z0-9+/=]+),type:([a-z]+)\\]$");

    private final SecureRandom random;

    public ValueCipher(SecureRandom random) {
        this.random = random;
    }

    /** One decrypted value: its plaintext bytes and the SOPS type name (str, int, float, bool, ...). */
    public record Plain(byte[] bytes, String type) {
    }

    /** True when {@code s} looks like a SOPS-encrypted value. */
    public static boolean isEncrypted(Object s) {
        return s instanceof String str && str.startsWith("ENC[AES256_GCM,");
    }

    public String encrypt(byte[] plaintext, String type, byte[] key, String aad) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] out = c.doFinal(plaintext);
            int ctLen = out.length - TAG_BYTES;
            Base64.Encoder b64 = Base64.getEncoder();
            byte[] ct = java.util.Arrays.copyOfRange(out, 0, ctLen);
            byte[] tag = java.util.Arrays.copyOfRange(out, ctLen, out.length);
            return "ENC[AES256_GCM,data:" + b64.encodeToString(ct) + ",iv:" + b64.encodeToString(iv)
                    + ",tag:" + b64.encodeToString(tag) + ",type:" + type + "]";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /**
     * Decrypts one ENC[...] value. {@code where} names the value for messages (never the value).
     * A bad tag (wrong key, changed ciphertext, moved value) fails.
     */
    public static Plain decrypt(String enc, byte[] key, String aad, String where) {
        Matcher m = ENC.matcher(enc);
        if (!m.matches()) {
            throw SopsException.invalid(where + ": not a SOPS value (expected ENC[AES256_GCM,data:...,iv:...,tag:...,type:...])");
        }
        byte[] ct;
        byte[] iv;
        byte[] tag;
        try {
            Base64.Decoder d = Base64.getDecoder();
            ct = d.decode(m.group(1));
            iv = d.decode(m.group(2));
            tag = d.decode(m.group(3));
        } catch (IllegalArgumentException e) {
            throw SopsException.invalid(where + ": the encrypted value's base64 is damaged");
        }
        if (tag.length != TAG_BYTES || iv.length == 0) {
            throw SopsException.invalid(where + ": the encrypted value has a " + tag.length + "-byte tag and a "
                    + iv.length + "-byte IV (SOPS uses a 16-byte tag)");
        }
        byte[] both = new byte[ct.length + tag.length];
        System.arraycopy(ct, 0, both, 0, ct.length);
        System.arraycopy(tag, 0, both, ct.length, tag.length);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return new Plain(c.doFinal(both), m.group(4));
        } catch (javax.crypto.AEADBadTagException e) {
            throw SopsException.failed(where + ": cannot decrypt (authentication tag mismatch): the value was changed or moved,"
                    + " or the file's data key is not the one it was encrypted with");
        } catch (GeneralSecurityException e) {
            throw SopsException.failed(where + ": cannot decrypt (" + e.getClass().getSimpleName() + ")");
        }
    }
}
