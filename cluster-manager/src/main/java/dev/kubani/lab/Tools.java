package dev.kubani.lab;

import dev.kubani.core.KubaniException;
import dev.kubani.k0s.K0sctl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that the programs a lab step needs are installed, and says how to install the
 * missing ones. Every step checks first and fails (exit 3) before it changes anything.
 */
public final class Tools {
    private final Map<String, String> env;
    private final String osName;
    private final List<String> missing = new ArrayList<>();

    public Tools(Map<String, String> env, String osName) {
        this.env = env;
        this.osName = osName == null ? "" : osName.toLowerCase(java.util.Locale.ROOT);
    }

    private boolean mac() {
        return osName.contains("mac");
    }

    /** Vagrant itself; returns its path, or null (and notes it missing). */
    public Path vagrant() {
        Path p = K0sctl.which("vagrant", env);
        if (p == null) {
            missing.add("vagrant (" + (mac() ? "'brew install hashicorp/tap/hashicorp-vagrant'"
                    : "Debian/Ubuntu: 'sudo apt-get install vagrant'") + ")");
        }
        return p;
    }

    public Path k0sctl() {
        Path p = K0sctl.locate(env);
        if (p == null) {
            missing.add("k0sctl (" + K0sctl.INSTALL_HINT.replaceFirst("^install k0sctl \\(", "").replaceFirst("\\)$", "") + ")");
        }
        return p;
    }

    public Path sshKeygen() {
        Path p = K0sctl.which("ssh-keygen", env);
        if (p == null) {
            missing.add("ssh-keygen (" + (mac() ? "part of macOS" : "Debian/Ubuntu: 'sudo apt-get install openssh-client'") + ")");
        }
        return p;
    }

    /**
     * The provider's own program and Vagrant plugin. {@code plugins} is the output of
     * 'vagrant plugin list' (null when Vagrant itself is missing).
     */
    public void provider(Provider p, String plugins) {
        switch (p) {
            case TART -> {
                if (K0sctl.which("tart", env) == null) {
                    missing.add("tart (macOS on Apple Silicon: 'brew install cirruslabs/cli/tart')");
                }
                if (plugins != null && !plugins.contains("vagrant-tart")) {
                    missing.add("the vagrant-tart plugin ('vagrant plugin install vagrant-tart')");
                }
            }
            case LIBVIRT -> {
                if (K0sctl.which("virsh", env) == null) {
                    missing.add("libvirt (Debian/Ubuntu: 'sudo apt-get install libvirt-daemon-system libvirt-clients', then add "
                            + "yourself to the libvirt group)");
                }
                if (plugins != null && !plugins.contains("vagrant-libvirt")) {
                    missing.add("the vagrant-libvirt plugin (Debian/Ubuntu: 'sudo apt-get install vagrant-libvirt')");
                }
            }
            default -> throw new IllegalStateException(p.toString());
        }
    }

    /** Fails with one line naming every missing tool and how to install it. */
    public void require(String step) {
        if (!missing.isEmpty()) {
            throw KubaniException.unexpectedState("'" + step + "' needs " + String.join("; ", missing)
                    + "; install " + (missing.size() == 1 ? "it" : "them") + " and run it again");
        }
    }
}
