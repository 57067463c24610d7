package dev.kubani.core;

/**
 * The one exception commands throw for problems a person can act on. It carries the exit code
 * and a single line for people; the CLI prints that line and exits with the code.
 */
public class KubaniException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public KubaniException(int exitCode, String message) {
        super(oneLine(message));
        this.exitCode = exitCode;
    }

    public KubaniException(int exitCode, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.exitCode = exitCode;
    }

    /**
     * Messages are for one line of a terminal: line breaks and other control characters that
     * came from user input are shown escaped, and an overlong message is cut.
     */
    public static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 2000) + 8);
        for (int i = 0; i < s.length() && sb.length() < 2000; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x1b) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (sb.length() >= 2000) {
            sb.append("…");
        }
        return sb.toString();
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
