package dev.kubani.sops;

import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;

/**
 * A SOPS file that cannot be read, decrypted or verified. Messages name the file and the value's
 * path, never a value or a key.
 */
public final class SopsException extends KubaniException {
    private static final long serialVersionUID = 1L;

    public SopsException(int exitCode, String message) {
        super(exitCode, message);
    }

    public SopsException(int exitCode, String message, Throwable cause) {
        super(exitCode, message, cause);
    }

    /** The file is not valid SOPS input (syntax, metadata). */
    public static SopsException invalid(String message) {
        return new SopsException(ExitCode.INVALID_INPUT, message);
    }

    /** Decryption or verification failed (wrong key, tampering). */
    public static SopsException failed(String message) {
        return new SopsException(ExitCode.FAILED, message);
    }
}
