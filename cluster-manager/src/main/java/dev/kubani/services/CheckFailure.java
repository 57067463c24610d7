package dev.kubani.services;

/** A step of a check failed: what happened (one line) and what a person can do about it. */
public final class CheckFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final String fix;

    public CheckFailure(String detail, String fix) {
        super(detail);
        this.fix = fix;
    }

    public CheckFailure(String detail, String fix, Throwable cause) {
        super(detail, cause);
        this.fix = fix;
    }

    public String detail() {
        return getMessage();
    }

    public String fix() {
        return fix;
    }
}
