package dev.kubani.core;

/** Process exit codes shared by every command (see docs/architecture.md). */
public final class ExitCode {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** An operation was attempted and failed (a host failed, a check failed). */
    public static final int FAILED = 1;
    /** The input (flags, files, values) is invalid; nothing was changed. */
    public static final int INVALID_INPUT = 2;
    /** The world is not in a state the command can work with (tailscaled down, API unreachable). */
    public static final int UNEXPECTED_STATE = 3;
    /** A bug: an exception nobody anticipated. */
    public static final int INTERNAL = 4;

    private ExitCode() {
    }
}
