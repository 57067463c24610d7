package dev.kubani.tailscale;

import dev.kubani.core.KubaniException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the tailnet status from, in order: a status file given by the user, the tailscaled
 * LocalAPI socket when it is reachable, or {@code tailscale status --json}. Turns every way
 * this can fail into one line that says what to run.
 */
public final class TailscaleClient {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/tailscale/tailscaled.sock");
    private static final long TIMEOUT_SECONDS = 10;

    private final Map<String, String> env;

    public TailscaleClient(Map<String, String> env) {
        this.env = env;
    }

    /** Reads and checks the status: tailscaled must be running and logged in. */
    public TailnetStatus status(Path statusFile) {
        TailnetStatus s = statusFile != null ? fromFile(statusFile) : live();
        requireRunning(s);
        return s;
    }

    static void requireRunning(TailnetStatus s) {
        String state = s.backendState();
        if (state == null || state.equals("Running") || state.equals("Starting")) {
            return;
        }
        switch (state) {
            case "NeedsLogin", "NeedsMachineAuth" -> throw KubaniException.unexpectedState(
                    "this machine is not logged in to Tailscale (state " + state + "): run 'sudo tailscale up' "
                            + (state.equals("NeedsMachineAuth") ? "and approve the machine in the admin console" : "and log in"));
            case "Stopped" -> throw KubaniException.unexpectedState(
                    "Tailscale is stopped on this machine: run 'sudo tailscale up'");
            case "NoState" -> throw KubaniException.unexpectedState(
                    "tailscaled has not started yet: run 'sudo systemctl enable --now tailscaled', then 'sudo tailscale up'");
            default -> throw KubaniException.unexpectedState("Tailscale is in state " + state
                    + ": run 'tailscale status' to see why, then 'sudo tailscale up'");
        }
    }

    private TailnetStatus fromFile(Path f) {
        try (InputStream in = f.toString().equals("-") ? System.in : Files.newInputStream(f)) {
            return StatusParser.parse(in);
        } catch (StatusParser.BadStatus e) {
            throw KubaniException.invalidInput(f + ": " + e.getMessage());
        } catch (IOException e) {
            throw KubaniException.invalidInput(f + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private TailnetStatus live() {
        Path socket = Path.of(env.getOrDefault("KUBANI_TAILSCALE_SOCKET", DEFAULT_SOCKET.toString()));
        if (Files.exists(socket) && env.get("KUBANI_TAILSCALE") == null) {
            TailnetStatus s = fromSocket(socket);
            if (s != null) {
                return s;
            }
        }
        return fromCli();
    }

    /** LocalAPI over the unix socket; null when it refuses us (e.g. not root), so the CLI is tried. */
    TailnetStatus fromSocket(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            String req = "GET /localapi/v0/status HTTP/1.0\r\nHost: local-tailscaled.sock\r\n"
                    + "Tailscale-Cap: 57\r\nAccept: application/json\r\n\r\n";
            ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
            byte[] all = Channels.newInputStream(ch).readAllBytes();
            int sep = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (sep < 0) {
                return null;
            }
            String head = new String(all, 0, sep, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.") || !head.substring(9, 12).equals("200")) {
                return null;
            }
            return StatusParser.parse(new String(all, sep + 4, all.length - sep - 4, StandardCharsets.UTF_8));
        } catch (IOException | StatusParser.BadStatus | RuntimeException e) {
            return null;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private TailnetStatus fromCli() {
        String bin = env.getOrDefault("KUBANI_TAILSCALE", "tailscale");
        List<String> cmd = new ArrayList<>(List.of(bin, "status", "--json"));
        Process proc;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            proc = pb.start();
        } catch (IOException e) {
            throw KubaniException.unexpectedState("tailscale is not installed on this machine (no '" + bin
                    + "' command): install it (Debian/Ubuntu: curl -fsSL https://tailscale.com/install.sh | sh), "
                    + "then run 'sudo tailscale up'");
        }
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errPump = new Thread(() -> {
                try {
                    proc.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "tailscale-stderr");
            errPump.setDaemon(true);
            errPump.start();
            byte[] out = proc.getInputStream().readAllBytes();
            if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw KubaniException.unexpectedState("'tailscale status --json' did not answer within "
                        + TIMEOUT_SECONDS + " s: check 'sudo systemctl status tailscaled'");
            }
            errPump.join(1000);
            String stderr = err.toString(StandardCharsets.UTF_8).trim();
            if (proc.exitValue() != 0 && out.length == 0) {
                throw cliFailure(stderr);
            }
            try {
                return StatusParser.parse(new String(out, StandardCharsets.UTF_8));
            } catch (StatusParser.BadStatus e) {
                if (proc.exitValue() != 0) {
                    throw cliFailure(stderr);
                }
                throw KubaniException.unexpectedState("'tailscale status --json' printed " + e.getMessage());
            }
        } catch (IOException e) {
            throw KubaniException.unexpectedState("could not read from 'tailscale status --json': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proc.destroyForcibly();
            throw KubaniException.failed("interrupted while waiting for 'tailscale status --json'");
        }
    }

    static KubaniException cliFailure(String stderr) {
        String s = stderr.toLowerCase(java.util.Locale.ROOT);
        String first = stderr.isEmpty() ? "no message" : stderr.lines().findFirst().orElse("");
        if (s.contains("failed to connect") || s.contains("tailscaled") && (s.contains("not running") || s.contains("connect"))
                || s.contains("no such file or directory")) {
            return KubaniException.unexpectedState("tailscaled is not running (" + first
                    + "): start it with 'sudo systemctl enable --now tailscaled', then 'sudo tailscale up'");
        }
        if (s.contains("logged out") || s.contains("needslogin") || s.contains("log in")) {
            return KubaniException.unexpectedState("this machine is logged out of Tailscale: run 'sudo tailscale up'");
        }
        if (s.contains("permission denied") || s.contains("access denied")) {
            return KubaniException.unexpectedState("tailscale refused access (" + first
                    + "): run 'sudo tailscale set --operator=$USER' once, or run as root");
        }
        return KubaniException.unexpectedState("'tailscale status --json' failed: " + first);
    }
}
