package dev.kubani.core;

/**
 * The one exception commands throw for problems a person can act on. It carries the exit code
 * and a single line for people; the CLI prints that line and exits with the code.
 */
public class KubaniException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public KubaniException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public KubaniException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static KubaniException invalidInput(String message) {
        return new KubaniException(ExitCode.INVALID_INPUT, message);
    }

    public static KubaniException failed(String message) {
        return new KubaniException(ExitCode.FAILED, message);
    }

    public static KubaniException unexpectedState(String message) {
        return new KubaniException(ExitCode.UNEXPECTED_STATE, message);
    }
}
