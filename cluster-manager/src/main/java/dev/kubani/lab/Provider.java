package dev.kubani.lab;

import dev.kubani.core.KubaniException;
import java.util.Locale;

/**
 * The Vagrant providers the lab supports, each with the one Ubuntu image it boots and the
 * login that image has. tart runs on macOS with Apple Silicon (as in seed 003), libvirt on
 * Linux.
 */
public enum Provider {
    /** Cirrus Labs' Ubuntu image for tart (arm64); its documented login is admin. */
    TART("tart", "ghcr.io/cirruslabs/ubuntu:latest", "admin"),
    /** The Roboxes Ubuntu 22.04 box, published for the libvirt provider; login vagrant. */
    LIBVIRT("libvirt", "generic/ubuntu2204", "vagrant");

    private final String id;
    private final String box;
    private final String sshUser;

    Provider(String id, String box, String sshUser) {
        this.id = id;
        this.box = box;
        this.sshUser = sshUser;
    }

    public String id() {
        return id;
    }

    /** The box (libvirt) or OCI image (tart) the VMs boot from. */
    public String box() {
        return box;
    }

    public String sshUser() {
        return sshUser;
    }

    public static Provider parse(String s, String where) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (Provider p : values()) {
            if (p.id.equals(v)) {
                return p;
            }
        }
        throw KubaniException.invalidInput(where + "='" + s + "': unknown provider; use tart (macOS on Apple Silicon) or libvirt (Linux)");
    }

    /** tart on macOS, libvirt elsewhere. */
    public static Provider forHost(String osName) {
        return osName != null && osName.toLowerCase(Locale.ROOT).contains("mac") ? TART : LIBVIRT;
    }

    @Override
    public String toString() {
        return id;
    }
}
