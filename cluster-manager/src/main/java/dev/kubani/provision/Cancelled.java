package dev.kubani.provision;

import dev.kubani.core.KubaniException;

/** The run was stopped on request (Ctrl-C); exit code 130, as shells report SIGINT. */
public final class Cancelled extends KubaniException {
    private static final long serialVersionUID = 1L;
    public static final int EXIT_CODE = 130;

    public Cancelled(String message) {
        super(EXIT_CODE, message);
    }
}
