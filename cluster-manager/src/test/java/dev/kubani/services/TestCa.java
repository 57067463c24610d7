package dev.kubani.services;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate authority made in the test (Bouncy Castle), and TLS servers that use its certificates. */
final class TestCa {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    final String name;
    final KeyPair keys;
    final X509Certificate cert;

    private TestCa(String name, KeyPair keys, X509Certificate cert) {
        this.name = name;
        this.keys = keys;
        this.cert = cert;
    }

    static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    static TestCa create(String cn) throws Exception {
        KeyPair kp = keyPair();
        X500Name dn = new X500Name("CN=" + cn + ",O=Kubani tests");
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(dn, BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(30))),
                Date.from(now.plus(Duration.ofDays(3650))), dn, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        return new TestCa(cn, kp, c);
    }

    /** A server certificate for {@code dnsName}, valid between the two instants. */
    Issued issue(String dnsName, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair kp = keyPair();
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name + ",O=Kubani tests"), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + dnsName), kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new Issued(kp, c, this);
    }

    Issued validFor(String dnsName, Duration validFor) throws Exception {
        Instant now = Instant.now();
        return issue(dnsName, now.minus(Duration.ofDays(1)), now.plus(validFor));
    }

    Path writePem(Path file) throws Exception {
        StringWriter w = new StringWriter();
        w.write("-----BEGIN CERTIFICATE-----\n");
        w.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded()));
        w.write("\n-----END CERTIFICATE-----\n");
        Files.writeString(file, w.toString());
        return file;
    }

    record Issued(KeyPair keys, X509Certificate cert, TestCa ca) {
        SSLContext serverContext() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", keys.getPrivate(), "pw".toCharArray(), new java.security.cert.Certificate[] {cert, ca.cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }

        /** An HTTPS server on a free loopback port serving {@code handler} at "/". */
        HttpsServer serve(HttpHandler handler) throws Exception {
            HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
            s.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
            s.createContext("/", handler);
            s.start();
            return s;
        }
    }

    static void respond(com.sun.net.httpserver.HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (type != null) {
            ex.getResponseHeaders().set("Content-Type", type);
        }
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }
}
