package dev.kubani.provision;

import java.net.SocketPermission;
import java.security.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Test-only: records every network connection (and name lookup) this JVM attempts while it is
 * installed, through the security manager's connect checks (still available on Java 17), and
 * allows everything else. Tests use it to show a command talked to nothing beyond loopback.
 */
final class ConnectRecorder extends SecurityManager implements AutoCloseable {
    private final List<String> targets = Collections.synchronizedList(new ArrayList<>());
    private final SecurityManager previous;

    private ConnectRecorder(SecurityManager previous) {
        this.previous = previous;
    }

    @SuppressWarnings("removal")
    static ConnectRecorder install() {
        ConnectRecorder r = new ConnectRecorder(System.getSecurityManager());
        System.setSecurityManager(r);
        return r;
    }

    @Override
    public void checkPermission(Permission p) {
        if (p instanceof SocketPermission sp && sp.getActions().contains("connect")) {
            String n = sp.getName();
            targets.add(n.startsWith("[") ? n.substring(1, n.indexOf(']'))
                    : n.indexOf(':') == n.lastIndexOf(':') && n.indexOf(':') > 0 ? n.substring(0, n.indexOf(':')) : n);
        }
    }

    @Override
    public void checkPermission(Permission p, Object context) {
        checkPermission(p);
    }

    @Override
    public void checkConnect(String host, int port) {
        targets.add(host.startsWith("[") ? host.substring(1, host.indexOf(']')) : host);
    }

    @Override
    public void checkConnect(String host, int port, Object context) {
        checkConnect(host, port);
    }

    /** Every host the JVM connected to or looked up while installed. */
    List<String> targets() {
        synchronized (targets) {
            return List.copyOf(targets);
        }
    }

    /** The recorded targets outside 127.0.0.0/8 and ::1 (names other than localhost count as outside). */
    List<String> beyondLoopback() {
        List<String> out = new ArrayList<>();
        for (String t : targets()) {
            String h = t.toLowerCase(Locale.ROOT);
            boolean loop = h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
            if (!loop) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    @SuppressWarnings("removal")
    public void close() {
        System.setSecurityManager(previous);
    }
}
