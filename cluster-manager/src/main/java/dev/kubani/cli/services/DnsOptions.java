package dev.kubani.cli.services;

import dev.kubani.core.KubaniException;
import dev.kubani.dns.TraefikAddress;
import dev.kubani.kube.KubeConnect;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by {@code dns show} and {@code dns apply}, and finding the address records point at. */
public final class DnsOptions {
    @Option(names = "--domain", paramLabel = "DOMAIN",
            description = "Your domain (default: the inventory variable 'domain').")
    String domain;

    @Option(names = "--ip", paramLabel = "ADDRESS",
            description = "Point the records here instead of at Traefik's LoadBalancer address.")
    String ip;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Limit for each API call (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw KubaniException.invalidInput("--timeout " + timeoutSeconds + ": give a number of seconds between 1 and 300");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** The address and where it came from. */
    record Address(String ip, String source) {
    }

    Address address(ServiceContext ctx) {
        if (ip != null) {
            if (!TraefikAddress.isIpv4(ip.strip())) {
                throw KubaniException.invalidInput("--ip " + ip + ": give an IPv4 address, like 100.64.0.10");
            }
            return new Address(ip.strip(), "--ip");
        }
        TraefikAddress.Found f;
        try {
            f = TraefikAddress.find(ctx.kube());
        } catch (KubaniException e) {
            throw e;
        } catch (RuntimeException e) {
            throw KubeConnect.explain(e, ctx.target());
        }
        String svc = "Service " + TraefikAddress.NAMESPACE + "/" + TraefikAddress.SERVICE;
        if (f == null) {
            throw KubaniException.unexpectedState(svc + " does not exist: K3s deploys Traefik unless it was disabled "
                    + "('kubectl get svc -n kube-system'); or pass --ip ADDRESS");
        }
        if (f.ip() == null) {
            throw KubaniException.unexpectedState(svc + " has no LoadBalancer IPv4 address yet"
                    + (f.all().isEmpty() ? "" : " (only " + String.join(", ", f.all()) + ")")
                    + ": check K3s's ServiceLB pods ('kubectl get pods -n kube-system -l svccontroller.k3s.cattle.io/svcname=traefik'); "
                    + "or pass --ip ADDRESS");
        }
        String note = f.all().size() > 1 ? " (of " + String.join(", ", f.all()) + ")" : "";
        return new Address(f.ip(), svc + " status.loadBalancer.ingress" + note);
    }
}
