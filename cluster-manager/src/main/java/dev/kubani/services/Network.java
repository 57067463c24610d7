package dev.kubani.services;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** DNS resolution and TCP connects, each bounded by a timeout. */
public final class Network {
    private Network() {
    }

    /**
     * Resolves {@code host}. The JDK's resolver has no timeout of its own, so the look-up runs on
     * a daemon thread and is abandoned after {@code timeout}.
     */
    public static List<InetAddress> resolve(String host, Duration timeout) throws CheckFailure {
        FutureTask<InetAddress[]> task = new FutureTask<>(() -> InetAddress.getAllByName(host));
        Thread t = new Thread(task, "kubani-resolve");
        t.setDaemon(true);
        t.start();
        try {
            return Arrays.asList(task.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                throw new CheckFailure(host + " does not resolve", "create the DNS record with 'cluster-mgr dns apply --yes' "
                        + "(see 'cluster-mgr dns show'), or check this machine's resolver (nslookup " + host + ")");
            }
            throw new CheckFailure("cannot resolve " + host + ": " + Errors.describe(e.getCause()),
                    "check this machine's resolver (nslookup " + host + ")");
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new CheckFailure("resolving " + host + " timed out after " + timeout.toSeconds() + "s",
                    "check this machine's resolver (nslookup " + host + "), or raise --timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailure("interrupted while resolving " + host, "run the check again");
        }
    }

    public static String addresses(List<InetAddress> addrs) {
        return addrs.stream().map(InetAddress::getHostAddress).distinct().collect(Collectors.joining(", "));
    }

    /** Opens and closes a TCP connection to the first address that accepts one. */
    public static String connect(List<InetAddress> addrs, String host, int port, Duration timeout, String fix)
            throws CheckFailure {
        IOException last = null;
        for (InetAddress a : addrs) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a, port), (int) timeout.toMillis());
                return "connected to " + a.getHostAddress() + ":" + port;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new CheckFailure("cannot connect to " + host + ":" + port + " (" + Errors.describe(last) + ")", fix);
    }

    /**
     * The first two steps of every TCP service check: resolve the host ("CHECK dns"), then connect
     * ("CHECK tcp") through the Traefik entry point named {@code entryPoint}.
     */
    static void dnsAndTcp(Steps steps, String check, String host, int port, Duration timeout, String entryPoint) {
        java.util.concurrent.atomic.AtomicReference<List<InetAddress>> addrs = new java.util.concurrent.atomic.AtomicReference<>();
        steps.step(check + " dns", host, () -> {
            addrs.set(resolve(host, timeout));
            return "resolves to " + addresses(addrs.get());
        });
        steps.step(check + " tcp", host + ":" + port, () -> connect(addrs.get(), host, port, timeout,
                "check that Traefik exposes the " + entryPoint + " entry point on :" + port
                        + " ('kubectl get svc -n kube-system traefik') and that the " + entryPoint + " pod is ready "
                        + "('cluster-mgr verify pods')"));
    }
}
