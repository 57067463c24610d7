package dev.kubani.sops;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which values SOPS encrypts: one of unencrypted_suffix, encrypted_suffix, unencrypted_regex,
 * encrypted_regex. Each is tested against every key on a value's path (regexes unanchored, as
 * Go's regexp.MatchString). Default: unencrypted_suffix "_unencrypted".
 */
public record CryptRule(Kind kind, String value, Pattern pattern) {
    public enum Kind {
        UNENCRYPTED_SUFFIX("unencrypted_suffix"),
        ENCRYPTED_SUFFIX("encrypted_suffix"),
        UNENCRYPTED_REGEX("unencrypted_regex"),
        ENCRYPTED_REGEX("encrypted_regex");

        public final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    /** The metadata keys SOPS knows for rules, including the comment rules Kubani refuses. */
    public static final List<String> ALL_KEYS = List.of("unencrypted_suffix", "encrypted_suffix", "unencrypted_regex",
            "encrypted_regex", "unencrypted_comment_regex", "encrypted_comment_regex");

    public static final CryptRule DEFAULT = of(Kind.UNENCRYPTED_SUFFIX, "_unencrypted");

    /** Kubernetes Secrets: only data and stringData are encrypted. */
    public static final CryptRule KUBERNETES = of(Kind.ENCRYPTED_REGEX, "^(data|stringData)$");

    public static CryptRule of(Kind kind, String value) {
        Pattern p = null;
        if (kind == Kind.UNENCRYPTED_REGEX || kind == Kind.ENCRYPTED_REGEX) {
            try {
                p = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw SopsException.invalid(kind.key + ": '" + value + "' is not a valid regular expression ("
                        + e.getDescription() + ")");
            }
        }
        return new CryptRule(kind, value, p);
    }

    public static CryptRule byKey(String key, String value) {
        for (Kind k : Kind.values()) {
            if (k.key.equals(key)) {
                return of(k, value);
            }
        }
        throw SopsException.invalid(key + " is not supported by Kubani (comment-based rules need comment handling;"
                + " use sops itself, or encrypted_regex / unencrypted_suffix)");
    }

    /** True when the value at {@code path} (map keys from the root) is encrypted. */
    public boolean encrypts(List<String> path) {
        switch (kind) {
            case UNENCRYPTED_SUFFIX:
                for (String k : path) {
                    if (k.endsWith(value)) {
                        return false;
                    }
                }
                return true;
            case ENCRYPTED_SUFFIX:
                for (String k : path) {
                    if (k.endsWith(value)) {
                        return true;
                    }
                }
                return false;
            case UNENCRYPTED_REGEX:
                for (String k : path) {
                    if (pattern.matcher(k).find()) {
                        return false;
                    }
                }
                return true;
            case ENCRYPTED_REGEX:
                for (String k : path) {
                    if (pattern.matcher(k).find()) {
                        return true;
                    }
                }
                return false;
            default:
                throw new IllegalStateException();
        }
    }
}
