package dev.kubani.services;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds fabric8's CRUD mock API server (standing in for K3s's API server, which does not exist
 * here) with pods, events and cert-manager objects in each state.
 */
public final class ClusterFixtures {
    private ClusterFixtures() {
    }

    public static Pod readyPod(String ns, String name) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("main").withReady(true)
                        .withNewState().withNewRunning().endRunning().endState().build())
                .endStatus().build();
    }

    public static Pod crashLooping(String ns, String name) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("redis").withReady(false).withRestartCount(7)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 5m0s restarting failed container=redis").endWaiting().endState().build())
                .endStatus().build();
    }

    public static Pod unschedulable(String ns, String name) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewStatus().withPhase("Pending")
                .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 Insufficient memory.").endCondition()
                .endStatus().build();
    }

    public static Pod runningNotReady(String ns, String name) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("webhook").withReady(false)
                        .withNewState().withNewRunning().endRunning().endState().build())
                .endStatus().build();
    }

    public static Pod completed(String ns, String name) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewStatus().withPhase("Succeeded").endStatus().build();
    }

    public static void event(KubernetesClient c, String ns, String pod, String name, String type, String reason, String message,
                             Instant last) {
        c.v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(ns).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message).withLastTimestamp(last.toString()).build()).create();
    }

    public static void create(KubernetesClient c, Pod p) {
        c.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
    }

    static Map<String, Object> cond(String type, String status, String reason, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("status", status);
        if (reason != null) {
            m.put("reason", reason);
        }
        if (message != null) {
            m.put("message", message);
        }
        return m;
    }

    static GenericKubernetesResource resource(ResourceDefinitionContext ctx, String ns, String name, Map<String, Object> status,
                                              Map<String, String> annotations, Instant created) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("cert-manager.io/v1");
        r.setKind(ctx.getKind());
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns)
                .withAnnotations(annotations).withCreationTimestamp(created == null ? null : created.toString()).build());
        r.setAdditionalProperty("spec", Map.of());
        r.setAdditionalProperty("status", status);
        return r;
    }

    static void put(KubernetesClient c, ResourceDefinitionContext ctx, GenericKubernetesResource r) {
        if (ctx.isNamespaceScoped()) {
            c.genericKubernetesResources(ctx).inNamespace(r.getMetadata().getNamespace()).resource(r).create();
        } else {
            c.genericKubernetesResources(ctx).resource(r).create();
        }
    }

    /** cert-manager in every state: issuers Ready and not, certificates fine/expiring/broken, failed requests new and old. */
    static void seedCertManager(KubernetesClient c, Instant now, boolean healthyPods) {
        create(c, readyPod("cert-manager", "cert-manager-6d9f8c7b5-abcde"));
        create(c, readyPod("cert-manager", "cert-manager-cainjector-7c8d9-fghij"));
        create(c, healthyPods ? readyPod("cert-manager", "cert-manager-webhook-5f6g7-klmno")
                : runningNotReady("cert-manager", "cert-manager-webhook-5f6g7-klmno"));
        put(c, CertificatesCheck.CLUSTER_ISSUERS, resource(CertificatesCheck.CLUSTER_ISSUERS, null, "letsencrypt-prod",
                Map.of("conditions", List.of(cond("Ready", "True", "ACMEAccountRegistered", "The ACME account was registered with the ACME server"))),
                null, now));
        put(c, CertificatesCheck.CLUSTER_ISSUERS, resource(CertificatesCheck.CLUSTER_ISSUERS, null, "letsencrypt-staging",
                Map.of("conditions", List.of(cond("Ready", "False", "ErrRegisterACMEAccount", "Failed to register ACME account: 403"))),
                null, now));
        put(c, CertificatesCheck.CERTIFICATES, resource(CertificatesCheck.CERTIFICATES, "auth", "authentik-tls",
                Map.of("conditions", List.of(cond("Ready", "True", "Ready", "Certificate is up to date and has not expired")),
                        "notAfter", now.plus(Duration.ofDays(60)).toString()), null, now));
        put(c, CertificatesCheck.CERTIFICATES, resource(CertificatesCheck.CERTIFICATES, "database", "postgres-tls",
                Map.of("conditions", List.of(cond("Ready", "True", "Ready", "Certificate is up to date and has not expired")),
                        "notAfter", now.plus(Duration.ofDays(5)).plusSeconds(3600).toString()), null, now));
        put(c, CertificatesCheck.CERTIFICATES, resource(CertificatesCheck.CERTIFICATES, "cache", "redis-tls",
                Map.of("conditions", List.of(cond("Ready", "False", "DoesNotExist", "Issuing certificate as Secret does not exist"))),
                null, now));
        put(c, CertificatesCheck.REQUESTS, resource(CertificatesCheck.REQUESTS, "auth", "authentik-tls-1",
                Map.of("conditions", List.of(cond("Ready", "False", "Failed", "Failed to wait for order resource to become ready")),
                        "failureTime", now.minus(Duration.ofHours(2)).toString()),
                Map.of("cert-manager.io/certificate-name", "authentik-tls"), now.minus(Duration.ofHours(2))));
        put(c, CertificatesCheck.REQUESTS, resource(CertificatesCheck.REQUESTS, "auth", "authentik-tls-2",
                Map.of("conditions", List.of(cond("Ready", "True", "Issued", "Certificate fetched from issuer successfully"))),
                Map.of("cert-manager.io/certificate-name", "authentik-tls"), now.minus(Duration.ofHours(1))));
        put(c, CertificatesCheck.REQUESTS, resource(CertificatesCheck.REQUESTS, "cache", "redis-tls-1",
                Map.of("conditions", List.of(cond("Ready", "False", "Failed", "DNS-01 challenge: Cloudflare API error 10000: Authentication error"))),
                Map.of("cert-manager.io/certificate-name", "redis-tls"), now.minus(Duration.ofHours(1))));
        put(c, CertificatesCheck.REQUESTS, resource(CertificatesCheck.REQUESTS, "database", "postgres-tls-1",
                Map.of("conditions", List.of(cond("Denied", "True", "Denied", "denied by policy")),
                        "failureTime", now.minus(Duration.ofDays(3)).toString()),
                Map.of("cert-manager.io/certificate-name", "postgres-tls"), now.minus(Duration.ofDays(3))));
    }

    /** A kubeconfig pointing at the mock server, for commands run through the CLI. */
    public static Path kubeconfig(KubernetesClient c, Path dir) throws Exception {
        String url = c.getConfiguration().getMasterUrl();
        List<String> lines = new ArrayList<>(List.of(
                "apiVersion: v1", "kind: Config", "current-context: mock",
                "clusters:", "- name: mock", "  cluster:", "    server: " + url, "    insecure-skip-tls-verify: true",
                "contexts:", "- name: mock", "  context:", "    cluster: mock", "    user: mock",
                "users:", "- name: mock", "  user:", "    token: mock-token"));
        Path p = dir.resolve("kubeconfig");
        Files.write(p, lines);
        return p;
    }
}
