package dev.kubani.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsServer;
import dev.kubani.services.CheckResult.Status;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS checks against local TLS servers whose certificates come from a CA made in the test. */
class HttpsCheckTest {
    static TestCa ca;
    static TestCa stranger;
    static Trust trust;

    /** Authentik in miniature: "/" redirects to the login flow, the API answers JSON. */
    static final HttpHandler AUTHENTIK = ex -> {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/api/v3/root/config/")) {
            TestCa.respond(ex, 200, "application/json", "{\"capabilities\":[]}");
        } else if (path.equals("/")) {
            ex.getResponseHeaders().set("Location", "/if/flow/default-authentication-flow/");
            TestCa.respond(ex, 302, null, "");
        } else {
            TestCa.respond(ex, 404, "text/plain", "404 page not found");
        }
    };

    @BeforeAll
    static void setUp(@TempDir Path dir) throws Exception {
        ca = TestCa.create("Kubani Test CA");
        stranger = TestCa.create("Stranger CA");
        trust = Trust.load(ca.writePem(dir.resolve("ca.pem")), "--ca-file");
    }

    static List<CheckResult> check(HttpsServer server, String api) {
        URI url = URI.create("https://localhost:" + server.getAddress().getPort() + "/");
        return new HttpsCheck(new HttpsCheck.Settings("authentik", url, api, Duration.ofSeconds(5), 14, "'kubectl describe certificate'"),
                trust).run();
    }

    static List<Status> statuses(List<CheckResult> r) {
        return r.stream().map(CheckResult::status).toList();
    }

    @Test
    @DisplayName("valid certificate: chain valid for the host, days to expiry, reachable, API answers JSON")
    void valid() throws Exception {
        HttpsServer s = ca.validFor("localhost", Duration.ofDays(90)).serve(AUTHENTIK);
        try {
            List<CheckResult> r = check(s, HttpsCheck.AUTHENTIK_API);
            assertThat(statuses(r)).as(r.toString()).containsExactly(Status.OK, Status.OK, Status.OK, Status.OK);
            assertThat(r).extracting(CheckResult::check)
                    .containsExactly("authentik dns", "authentik certificate", "authentik https", "authentik api");
            assertThat(r.get(1).detail()).startsWith("valid for localhost, issued by Kubani Test CA").contains("(in 89 days)");
            assertThat(r.get(2).detail()).isEqualTo("HTTP 302 -> /if/flow/default-authentication-flow/");
            assertThat(r.get(3).detail()).isEqualTo("HTTP 200, JSON");
        } finally {
            s.stop(0);
        }
    }

    @Test
    @DisplayName("a certificate expiring within 14 days is a warning, not a failure")
    void expiringSoon() throws Exception {
        HttpsServer s = ca.validFor("localhost", Duration.ofDays(5).plusHours(1)).serve(AUTHENTIK);
        try {
            List<CheckResult> r = check(s, HttpsCheck.AUTHENTIK_API);
            assertThat(statuses(r)).containsExactly(Status.OK, Status.WARN, Status.OK, Status.OK);
            assertThat(r.get(1).detail()).contains("(in 5 days)");
            assertThat(r.get(1).fix()).contains("renew");
        } finally {
            s.stop(0);
        }
    }

    @Test
    @DisplayName("expired certificate: fails with the date it expired, later steps skipped")
    void expired() throws Exception {
        Instant now = Instant.now();
        HttpsServer s = ca.issue("localhost", now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(10))).serve(AUTHENTIK);
        try {
            List<CheckResult> r = check(s, HttpsCheck.AUTHENTIK_API);
            assertThat(statuses(r)).containsExactly(Status.OK, Status.FAIL, Status.SKIPPED, Status.SKIPPED);
            assertThat(r.get(1).detail()).startsWith("certificate expired on ").endsWith("(10 days ago)");
            assertThat(r.get(1).fix()).contains("cert-manager");
        } finally {
            s.stop(0);
        }
    }

    @Test
    @DisplayName("certificate for another host name: fails naming the names it is for")
    void wrongHost() throws Exception {
        HttpsServer s = ca.validFor("auth.elsewhere.test", Duration.ofDays(60)).serve(AUTHENTIK);
        try {
            List<CheckResult> r = check(s, HttpsCheck.AUTHENTIK_API);
            assertThat(statuses(r)).containsExactly(Status.OK, Status.FAIL, Status.SKIPPED, Status.SKIPPED);
            assertThat(r.get(1).detail()).isEqualTo("certificate is for auth.elsewhere.test, not localhost");
        } finally {
            s.stop(0);
        }
    }

    @Test
    @DisplayName("certificate from an untrusted issuer: fails naming the issuer")
    void untrustedIssuer() throws Exception {
        HttpsServer s = stranger.validFor("localhost", Duration.ofDays(60)).serve(AUTHENTIK);
        try {
            List<CheckResult> r = check(s, HttpsCheck.AUTHENTIK_API);
            assertThat(statuses(r)).containsExactly(Status.OK, Status.FAIL, Status.SKIPPED, Status.SKIPPED);
            assertThat(r.get(1).detail()).isEqualTo("certificate issued by Stranger CA, which is not trusted");
            assertThat(r.get(1).fix()).contains("letsencrypt-prod").contains("--ca-file");
        } finally {
            s.stop(0);
        }
    }

    @Test
    @DisplayName("API endpoint failing (503) while the certificate is fine: only the api step fails")
    void apiDown() throws Exception {
        HttpsServer s = ca.validFor("localhost", Duration.ofDays(60)).serve(ex -> {
            if (ex.getRequestURI().getPath().startsWith("/api/")) {
                TestCa.respond(ex, 503, "text/plain", "no available server");
            } else {
                TestCa.respond(ex, 200, "text/html", "<html></html>");
            }
        });
        try {
            List<CheckResult> r = check(s, HttpsCheck.AUTHENTIK_API);
            assertThat(statuses(r)).containsExactly(Status.OK, Status.OK, Status.OK, Status.FAIL);
            assertThat(r.get(3).detail()).startsWith("HTTP 503 from https://localhost:");
        } finally {
            s.stop(0);
        }
    }

    @Test
    @DisplayName("no TLS listener: the certificate step fails with connection refused")
    void closedPort() throws Exception {
        URI url = URI.create("https://localhost:" + LocalServers.freePort() + "/");
        List<CheckResult> r = new HttpsCheck(new HttpsCheck.Settings("https", url, null, Duration.ofSeconds(3), 14, "x"), trust).run();
        assertThat(statuses(r)).containsExactly(Status.OK, Status.FAIL, Status.SKIPPED);
        assertThat(r.get(1).detail()).contains("connection refused");
    }

    @Test
    @DisplayName("host name matching: exact and left-most-label wildcards only")
    void matching() {
        assertThat(HttpsCheck.matches(List.of("*.example.com"), "auth.example.com")).isTrue();
        assertThat(HttpsCheck.matches(List.of("*.example.com"), "a.b.example.com")).isFalse();
        assertThat(HttpsCheck.matches(List.of("*.example.com"), "example.com")).isFalse();
        assertThat(HttpsCheck.matches(List.of("Auth.Example.com"), "auth.example.com")).isTrue();
        assertThat(HttpsCheck.matches(List.of("other.example.com"), "auth.example.com")).isFalse();
    }
}
