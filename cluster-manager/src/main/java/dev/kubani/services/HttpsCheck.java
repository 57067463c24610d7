package dev.kubani.services;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTPS endpoint checks (Authentik and any other): DNS, the certificate chain valid for the host
 * name with its days to expiry, reachability, and optionally an API endpoint that must answer
 * 200 with JSON.
 */
public final class HttpsCheck {
    /** Authentik's unauthenticated API endpoint: answers 200 with JSON when the server is up. */
    public static final String AUTHENTIK_API = "/api/v3/root/config/";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /**
     * {@code check} names the rows ("authentik"); {@code apiPath} may be null; {@code fixHint}
     * is appended to certificate fixes (which Certificate to look at).
     */
    public record Settings(String check, URI url, String apiPath, Duration timeout, int warnDays, String certHint) {
    }

    private final Settings s;
    private final Trust trust;
    private final Instant now;

    public HttpsCheck(Settings settings, Trust trust) {
        this(settings, trust, Instant.now());
    }

    HttpsCheck(Settings settings, Trust trust, Instant now) {
        this.s = settings;
        this.trust = trust;
        this.now = now;
    }

    private String host() {
        return s.url().getHost();
    }

    private int port() {
        return s.url().getPort() < 0 ? 443 : s.url().getPort();
    }

    public List<CheckResult> run() {
        Steps steps = new Steps();
        String c = s.check();
        AtomicReference<List<InetAddress>> addrs = new AtomicReference<>();
        steps.step(c + " dns", host(), () -> {
            addrs.set(Network.resolve(host(), s.timeout()));
            return "resolves to " + Network.addresses(addrs.get());
        });
        steps.graded(c + " certificate", host() + ":" + port(), start -> certificate(addrs.get(), start));
        HttpClient client = HttpClient.newBuilder()
                .sslContext(trust.recorder().context())
                .connectTimeout(s.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        steps.step(c + " https", s.url().toString(), () -> reachable(client));
        if (s.apiPath() != null) {
            URI api = s.url().resolve(s.apiPath());
            steps.step(c + " api", api.toString(), () -> api(client, api));
        }
        return steps.results();
    }

    private CheckResult certificate(List<InetAddress> addrs, long start) throws CheckFailure {
        Trust.Recorder rec = trust.recorder();
        Exception failure = null;
        boolean connected = false;
        int ms = (int) s.timeout().toMillis();
        for (InetAddress a : addrs) {
            // An address that carries the host name: the TLS layer checks the certificate against it.
            InetAddress named;
            try {
                named = InetAddress.getByAddress(host(), a.getAddress());
            } catch (IOException e) {
                named = a;
            }
            try (SSLSocket sock = (SSLSocket) rec.context().getSocketFactory().createSocket()) {
                sock.connect(new InetSocketAddress(named, port()), ms);
                connected = true;
                sock.setSoTimeout(ms);
                SSLParameters p = sock.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                if (!isIpLiteral(host())) {
                    p.setServerNames(List.of(new SNIHostName(host())));
                }
                sock.setSSLParameters(p);
                sock.startHandshake();
                failure = null;
                break;
            } catch (IOException | IllegalArgumentException e) {
                failure = e;
                if (connected) {
                    break;
                }
            }
        }
        X509Certificate[] chain = rec.chain();
        if (failure != null) {
            if (!connected) {
                throw new CheckFailure("cannot connect to " + host() + ":" + port() + " (" + Errors.describe(failure) + ")",
                        "check that Traefik listens on :" + port() + " ('kubectl get svc -n kube-system traefik')");
            }
            throw classify(chain, failure);
        }
        if (chain == null || chain.length == 0) {
            throw new CheckFailure("the server presented no certificate", "check Traefik's TLS configuration");
        }
        X509Certificate leaf = chain[0];
        long days = ChronoUnit.DAYS.between(now, leaf.getNotAfter().toInstant());
        String detail = "valid for " + host() + ", issued by " + issuer(leaf) + ", expires " + DAY.format(leaf.getNotAfter().toInstant())
                + " (in " + days + " day" + (days == 1 ? "" : "s") + ")";
        if (days < s.warnDays()) {
            return CheckResult.warn(s.check() + " certificate", host() + ":" + port(), detail, Steps.elapsed(start),
                    "cert-manager renews 30 days before expiry, so renewal is failing: " + s.certHint()
                            + " and 'cluster-mgr verify certificates'");
        }
        return CheckResult.ok(s.check() + " certificate", host() + ":" + port(), detail, Steps.elapsed(start));
    }

    /** Why the chain was refused, from what the server presented. */
    private CheckFailure classify(X509Certificate[] chain, Exception failure) {
        if (chain == null || chain.length == 0) {
            return new CheckFailure("TLS handshake failed: " + Errors.describe(failure),
                    "check that " + host() + ":" + port() + " serves HTTPS (Traefik's websecure entry point)");
        }
        X509Certificate leaf = chain[0];
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        if (notAfter.isBefore(now)) {
            long ago = ChronoUnit.DAYS.between(notAfter, now);
            return new CheckFailure("certificate expired on " + DAY.format(notAfter) + " (" + ago + " day" + (ago == 1 ? "" : "s")
                    + " ago)", "cert-manager did not renew it: " + s.certHint() + " and 'cluster-mgr verify certificates'");
        }
        if (notBefore.isAfter(now)) {
            return new CheckFailure("certificate is not valid before " + DAY.format(notBefore),
                    "check this machine's clock ('timedatectl'), then the server's");
        }
        List<String> names = names(leaf);
        if (!matches(names, host())) {
            return new CheckFailure("certificate is for " + (names.isEmpty() ? leaf.getSubjectX500Principal().getName() : String.join(", ", names))
                    + ", not " + host(), "the Certificate must list " + host() + " in dnsNames: " + s.certHint()
                    + "; and check that DNS points " + host() + " at Traefik ('cluster-mgr dns show')");
        }
        X509Certificate top = chain[chain.length - 1];
        return new CheckFailure("certificate issued by " + issuer(top) + ", which is not trusted",
                "a Let's Encrypt staging certificate is not trusted: set CERT_ISSUER to letsencrypt-prod in "
                        + "gitops/flux-system/cluster-settings.yaml; for a private CA pass --ca-file CA.pem");
    }

    private String reachable(HttpClient client) throws CheckFailure {
        HttpResponse<String> r = get(client, s.url());
        int code = r.statusCode();
        if (code >= 500) {
            throw new CheckFailure("HTTP " + code + " from " + s.url(), code == 502 || code == 503 || code == 504
                    ? "Traefik cannot reach the service behind " + host() + ": check its pods ('cluster-mgr verify pods')"
                    : "check the service's logs");
        }
        if (code == 404) {
            throw new CheckFailure("HTTP 404 from " + s.url() + ": no route for " + host(),
                    "check the IngressRoute for " + host() + " ('kubectl get ingressroute -A')");
        }
        String where = r.headers().firstValue("location").map(l -> " -> " + l).orElse("");
        return "HTTP " + code + where;
    }

    private String api(HttpClient client, URI api) throws CheckFailure {
        HttpResponse<String> r = get(client, api);
        String type = r.headers().firstValue("content-type").orElse("");
        if (r.statusCode() != 200) {
            throw new CheckFailure("HTTP " + r.statusCode() + " from " + api, "check the server's logs ('kubectl logs -n auth -l app.kubernetes.io/name=authentik')");
        }
        if (!type.toLowerCase(Locale.ROOT).contains("json")) {
            throw new CheckFailure("HTTP 200 but " + (type.isEmpty() ? "no content type" : type) + " instead of JSON from " + api,
                    "something other than the API answers: check the IngressRoute for " + host());
        }
        return "HTTP 200, JSON";
    }

    private HttpResponse<String> get(HttpClient client, URI uri) throws CheckFailure {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(s.timeout()).header("User-Agent", "kubani-verify").GET().build();
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CheckFailure("GET " + uri + " failed: " + Errors.describe(e), "check Traefik ('kubectl get svc -n kube-system traefik')");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailure("interrupted", "run the check again");
        }
    }

    private static String issuer(X509Certificate c) {
        String dn = c.getIssuerX500Principal().getName();
        for (String part : dn.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return dn;
    }

    /** The DNS names and IP addresses the certificate is for. */
    static List<String> names(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (List<?> san : c.getSubjectAlternativeNames()) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no readable names: treated as matching none
        }
        return out;
    }

    /** RFC 6125 matching: exact, or a wildcard in the left-most label only. */
    static boolean matches(List<String> names, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            if (name.equals(h)) {
                return true;
            }
            if (name.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot).equals(name.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }
}
