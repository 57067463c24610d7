package dev.kubani.services;

import dev.kubani.core.KubaniException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificate authorities the HTTPS checks trust: the JDK's, plus those of an optional PEM
 * file (a private CA, or a test CA). A chain is trusted when either set accepts it, with the
 * host name checked as browsers do.
 */
public final class Trust {
    private final List<X509ExtendedTrustManager> managers;

    private Trust(List<X509ExtendedTrustManager> managers) {
        this.managers = managers;
    }

    /** The JDK's CAs plus those in {@code caFile} (PEM, one or more certificates) when given. */
    public static Trust load(Path caFile, String flag) {
        List<X509ExtendedTrustManager> tms = new ArrayList<>();
        try {
            tms.add(manager(null));
            if (caFile != null) {
                if (!Files.isRegularFile(caFile)) {
                    throw KubaniException.invalidInput(flag + " " + caFile + ": no such file; give a PEM file of CA certificates");
                }
                Collection<? extends Certificate> certs;
                try (InputStream in = Files.newInputStream(caFile)) {
                    certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                } catch (CertificateException | IOException e) {
                    throw KubaniException.invalidInput(flag + " " + caFile + ": not a PEM file of certificates ("
                            + Errors.firstLine(e.getMessage()) + ")");
                }
                if (certs.isEmpty()) {
                    throw KubaniException.invalidInput(flag + " " + caFile + ": holds no certificate; give a PEM file of CA certificates");
                }
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (Certificate c : certs) {
                    ks.setCertificateEntry("ca-" + i++, c);
                }
                tms.add(manager(ks));
            }
        } catch (GeneralSecurityException | IOException e) {
            throw KubaniException.unexpectedState("cannot set up TLS trust: " + Errors.firstLine(e.getMessage()));
        }
        return new Trust(tms);
    }

    private static X509ExtendedTrustManager manager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** An SSL context that trusts these CAs and records the chain the server presented. */
    public Recorder recorder() {
        return new Recorder(managers);
    }

    /** A trust manager over several sets of CAs that remembers the last chain it was shown. */
    public static final class Recorder extends X509ExtendedTrustManager {
        private final List<X509ExtendedTrustManager> delegates;
        private volatile X509Certificate[] chain;

        Recorder(List<X509ExtendedTrustManager> delegates) {
            this.delegates = delegates;
        }

        public X509Certificate[] chain() {
            return chain;
        }

        public SSLContext context() {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {this}, null);
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private interface Check {
            void run(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private void any(X509Certificate[] c, Check check) throws CertificateException {
            chain = c;
            CertificateException last = null;
            for (X509ExtendedTrustManager tm : delegates) {
                try {
                    check.run(tm);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket) throws CertificateException {
            any(c, tm -> tm.checkServerTrusted(c, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine) throws CertificateException {
            any(c, tm -> tm.checkServerTrusted(c, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType) throws CertificateException {
            any(c, tm -> tm.checkServerTrusted(c, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>();
            for (X509ExtendedTrustManager tm : delegates) {
                all.addAll(List.of(tm.getAcceptedIssuers()));
            }
            return all.toArray(new X509Certificate[0]);
        }
    }
}
