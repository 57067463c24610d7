package dev.kubani.secrets;

import java.security.SecureRandom;

/** Random passwords from the JDK's SecureRandom: letters and digits only, safe in URLs and configs. */
public final class Passwords {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** 32 characters of 62 symbols: about 190 bits. */
    public static final int PASSWORD_LENGTH = 32;
    /** Authentik's secret key: 64 characters (it asks for 50 or more). */
    public static final int LONG_KEY_LENGTH = 64;

    private final SecureRandom random;

    public Passwords(SecureRandom random) {
        this.random = random;
    }

    public String generate(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
