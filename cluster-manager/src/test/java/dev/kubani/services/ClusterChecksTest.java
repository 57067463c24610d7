package dev.kubani.services;

import static dev.kubani.services.ClusterFixtures.create;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.services.CheckResult.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code verify certificates} and {@code verify pods} against fabric8's CRUD mock API server,
 * which stands in for K3s's API server (no real one exists here).
 */
@EnableKubernetesMockClient(crud = true)
class ClusterChecksTest {
    KubernetesClient client;

    static CheckResult row(List<CheckResult> rows, String check, String target) {
        return rows.stream().filter(r -> r.check().equals(check) && r.target().equals(target)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + check + " / " + target + " in " + rows));
    }

    @Test
    @DisplayName("certificates: pods, issuers, certificates with expiry, and recent failed requests, each in every state")
    void certificates() {
        Instant now = Instant.now();
        ClusterFixtures.seedCertManager(client, now, false);
        List<CheckResult> rows = new CertificatesCheck(client, now, 14, Duration.ofHours(24)).run();

        CheckResult pods = row(rows, "certificates cert-manager", "namespace cert-manager");
        assertThat(pods.status()).isEqualTo(Status.FAIL);
        assertThat(pods.detail()).startsWith("2/3 pods ready; cert-manager-webhook-5f6g7-klmno not ready: "
                + "container webhook running but not ready (readiness probe failing)");

        assertThat(row(rows, "certificates issuer", "ClusterIssuer letsencrypt-prod").status()).isEqualTo(Status.OK);
        CheckResult staging = row(rows, "certificates issuer", "ClusterIssuer letsencrypt-staging");
        assertThat(staging.status()).isEqualTo(Status.FAIL);
        assertThat(staging.detail()).isEqualTo("not Ready (ErrRegisterACMEAccount: Failed to register ACME account: 403)");
        assertThat(staging.fix()).contains("kubectl describe clusterissuer letsencrypt-staging");

        CheckResult auth = row(rows, "certificates certificate", "Certificate auth/authentik-tls");
        assertThat(auth.status()).isEqualTo(Status.OK);
        assertThat(auth.detail()).startsWith("Ready, expires ").endsWith("(in 60 days)");
        CheckResult soon = row(rows, "certificates certificate", "Certificate database/postgres-tls");
        assertThat(soon.status()).isEqualTo(Status.WARN);
        assertThat(soon.detail()).endsWith("(in 5 days)");
        CheckResult broken = row(rows, "certificates certificate", "Certificate cache/redis-tls");
        assertThat(broken.status()).isEqualTo(Status.FAIL);
        assertThat(broken.detail()).isEqualTo("not Ready (DoesNotExist: Issuing certificate as Secret does not exist)");

        CheckResult healed = row(rows, "certificates request", "CertificateRequest auth/authentik-tls-1");
        assertThat(healed.status()).as("failed, but its Certificate is Ready now").isEqualTo(Status.WARN);
        CheckResult failing = row(rows, "certificates request", "CertificateRequest cache/redis-tls-1");
        assertThat(failing.status()).isEqualTo(Status.FAIL);
        assertThat(failing.detail()).contains("for Certificate redis-tls").contains("Cloudflare API error 10000");
        assertThat(rows).extracting(CheckResult::target)
                .doesNotContain("CertificateRequest auth/authentik-tls-2")          // issued
                .doesNotContain("CertificateRequest database/postgres-tls-1");      // failed, but three days ago
    }

    @Test
    @DisplayName("certificates: nothing installed yet fails with where to look")
    void certificatesNothingThere() {
        List<CheckResult> rows = new CertificatesCheck(client, Instant.now(), 14, Duration.ofHours(24)).run();
        assertThat(row(rows, "certificates cert-manager", "namespace cert-manager").detail()).isEqualTo("no pods in namespace cert-manager");
        assertThat(row(rows, "certificates issuer", "ClusterIssuer").status()).isEqualTo(Status.FAIL);
        assertThat(row(rows, "certificates certificate", "Certificate").status()).isEqualTo(Status.WARN);
        assertThat(row(rows, "certificates request", "CertificateRequests").status()).isEqualTo(Status.OK);
    }

    @Test
    @DisplayName("pods: each namespace's row names the pods not ready, their reason and their last event")
    void pods() {
        Instant now = Instant.now();
        create(client, ClusterFixtures.readyPod("database", "postgresql-0"));
        create(client, ClusterFixtures.completed("database", "postgresql-migrate-x7k2p"));
        create(client, ClusterFixtures.crashLooping("cache", "redis-master-0"));
        ClusterFixtures.event(client, "cache", "redis-master-0", "e1", "Normal", "Pulled", "Container image already present",
                now.minus(Duration.ofMinutes(30)));
        ClusterFixtures.event(client, "cache", "redis-master-0", "e2", "Warning", "BackOff", "Back-off restarting failed container redis",
                now.minus(Duration.ofMinutes(1)));
        ClusterFixtures.event(client, "cache", "other-pod", "e3", "Warning", "Failed", "not about redis", now);
        create(client, ClusterFixtures.readyPod("auth", "authentik-worker-5d4c-1"));
        create(client, ClusterFixtures.unschedulable("auth", "authentik-server-7b9f-2"));

        List<CheckResult> rows = new PodsCheck(client).run(List.of("database", "cache", "auth", "empty"));
        assertThat(rows).extracting(CheckResult::status).containsExactly(Status.OK, Status.FAIL, Status.FAIL, Status.FAIL);
        assertThat(rows.get(0).detail()).isEqualTo("1/1 pods ready");
        assertThat(rows.get(1).detail()).isEqualTo("0/1 pods ready; redis-master-0 not ready: container redis waiting: CrashLoopBackOff "
                + "(back-off 5m0s restarting failed container=redis), 7 restarts; last event: Warning BackOff: Back-off restarting failed container redis");
        assertThat(rows.get(2).detail()).isEqualTo("1/2 pods ready; authentik-server-7b9f-2 not ready: not scheduled: Unschedulable "
                + "(0/3 nodes are available: 3 Insufficient memory.)");
        assertThat(rows.get(2).fix()).contains("kubectl describe pod -n auth");
        assertThat(rows.get(3).detail()).isEqualTo("no pods in namespace empty");
    }
}
