package dev.kubani.services;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code verify certificates}: cert-manager's pods, each ClusterIssuer Ready, each Certificate
 * Ready with its expiry, and the CertificateRequests that failed recently. cert-manager objects
 * are read as generic resources, so no cert-manager model classes are needed.
 */
public final class CertificatesCheck {
    public static final String CHECK = "certificates";
    static final ResourceDefinitionContext CLUSTER_ISSUERS = context("ClusterIssuer", "clusterissuers", false);
    static final ResourceDefinitionContext CERTIFICATES = context("Certificate", "certificates", true);
    static final ResourceDefinitionContext REQUESTS = context("CertificateRequest", "certificaterequests", true);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final Instant now;
    private final int warnDays;
    private final Duration recent;

    public CertificatesCheck(KubernetesClient client, Instant now, int warnDays, Duration recent) {
        this.client = client;
        this.now = now;
        this.warnDays = warnDays;
        this.recent = recent;
    }

    private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("cert-manager.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }

    /** All rows; Kubernetes API failures propagate to the caller (one explained line). */
    public List<CheckResult> run() {
        List<CheckResult> out = new ArrayList<>();
        out.add(new PodsCheck(client).namespace(CHECK + " cert-manager", "cert-manager"));
        out.addAll(issuers());
        Map<String, Boolean> readyByCert = new HashMap<>();
        out.addAll(certificates(readyByCert));
        out.addAll(requests(readyByCert));
        return out;
    }

    private List<CheckResult> issuers() {
        long start = System.nanoTime();
        List<GenericKubernetesResource> items = client.genericKubernetesResources(CLUSTER_ISSUERS).list().getItems();
        List<CheckResult> out = new ArrayList<>();
        if (items.isEmpty()) {
            out.add(CheckResult.fail(CHECK + " issuer", "ClusterIssuer", "no ClusterIssuer exists", Steps.elapsed(start),
                    "Flux applies gitops/infrastructure/issuers: 'flux get kustomizations' shows why it has not"));
            return out;
        }
        items.sort(Comparator.comparing(r -> r.getMetadata().getName()));
        for (GenericKubernetesResource r : items) {
            String name = r.getMetadata().getName();
            Map<String, Object> ready = condition(r, "Ready");
            long ms = Steps.elapsed(start);
            if (ready != null && "True".equals(ready.get("status"))) {
                out.add(CheckResult.ok(CHECK + " issuer", "ClusterIssuer " + name, "Ready" + suffix(ready), ms));
            } else {
                out.add(CheckResult.fail(CHECK + " issuer", "ClusterIssuer " + name, "not Ready" + suffix(ready), ms,
                        "kubectl describe clusterissuer " + name + "; check the Cloudflare API token Secret in cert-manager "
                                + "(Zone:DNS:Edit and Zone:Zone:Read, see docs/services.md)"));
            }
        }
        return out;
    }

    private List<CheckResult> certificates(Map<String, Boolean> readyByCert) {
        long start = System.nanoTime();
        List<GenericKubernetesResource> items = client.genericKubernetesResources(CERTIFICATES).inAnyNamespace().list().getItems();
        List<CheckResult> out = new ArrayList<>();
        if (items.isEmpty()) {
            out.add(CheckResult.warn(CHECK + " certificate", "Certificate", "no Certificate exists", Steps.elapsed(start),
                    "the apps declare them (gitops/apps/base/authentik/certificate.yaml): 'flux get kustomizations apps'"));
            return out;
        }
        items.sort(Comparator.comparing((GenericKubernetesResource r) -> r.getMetadata().getNamespace())
                .thenComparing(r -> r.getMetadata().getName()));
        for (GenericKubernetesResource r : items) {
            String ns = r.getMetadata().getNamespace();
            String name = r.getMetadata().getName();
            String target = "Certificate " + ns + "/" + name;
            Map<String, Object> ready = condition(r, "Ready");
            boolean isReady = ready != null && "True".equals(ready.get("status"));
            readyByCert.put(ns + "/" + name, isReady);
            Instant notAfter = time(status(r).get("notAfter"));
            String fix = "kubectl describe certificate -n " + ns + " " + name + " and kubectl get certificaterequests -n " + ns;
            long ms = Steps.elapsed(start);
            if (!isReady) {
                out.add(CheckResult.fail(CHECK + " certificate", target, "not Ready" + suffix(ready), ms, fix));
                continue;
            }
            if (notAfter == null) {
                out.add(CheckResult.ok(CHECK + " certificate", target, "Ready (no expiry reported yet)", ms));
                continue;
            }
            long days = ChronoUnit.DAYS.between(now, notAfter);
            String detail = "Ready, expires " + DAY.format(notAfter) + " (in " + days + " day" + (days == 1 ? "" : "s") + ")";
            if (notAfter.isBefore(now)) {
                out.add(CheckResult.fail(CHECK + " certificate", target, "expired on " + DAY.format(notAfter), ms, fix));
            } else if (days < warnDays) {
                out.add(CheckResult.warn(CHECK + " certificate", target, detail, ms,
                        "cert-manager renews 30 days before expiry, so renewal is failing: " + fix));
            } else {
                out.add(CheckResult.ok(CHECK + " certificate", target, detail, ms));
            }
        }
        return out;
    }

    private List<CheckResult> requests(Map<String, Boolean> readyByCert) {
        long start = System.nanoTime();
        List<GenericKubernetesResource> items = client.genericKubernetesResources(REQUESTS).inAnyNamespace().list().getItems();
        List<CheckResult> out = new ArrayList<>();
        Instant since = now.minus(recent);
        items.sort(Comparator.comparing((GenericKubernetesResource r) -> r.getMetadata().getNamespace())
                .thenComparing(r -> r.getMetadata().getName()));
        for (GenericKubernetesResource r : items) {
            String why = failure(r);
            if (why == null) {
                continue;
            }
            Instant when = time(status(r).get("failureTime"));
            if (when == null) {
                when = time(r.getMetadata().getCreationTimestamp());
            }
            if (when != null && when.isBefore(since)) {
                continue;
            }
            String ns = r.getMetadata().getNamespace();
            Map<String, String> ann = r.getMetadata().getAnnotations();
            String cert = ann == null ? null : ann.get("cert-manager.io/certificate-name");
            String target = "CertificateRequest " + ns + "/" + r.getMetadata().getName();
            String detail = "failed" + (when == null ? "" : " " + DAY.format(when)) + (cert == null ? "" : " for Certificate " + cert) + ": " + why;
            String fix = "kubectl describe certificaterequest -n " + ns + " " + r.getMetadata().getName()
                    + "; DNS-01 failures usually mean the Cloudflare token lacks Zone:DNS:Edit";
            long ms = Steps.elapsed(start);
            if (cert != null && Boolean.TRUE.equals(readyByCert.get(ns + "/" + cert))) {
                out.add(CheckResult.warn(CHECK + " request", target, detail + " (the Certificate is Ready now)", ms, fix));
            } else {
                out.add(CheckResult.fail(CHECK + " request", target, detail, ms, fix));
            }
        }
        if (out.isEmpty()) {
            out.add(CheckResult.ok(CHECK + " request", "CertificateRequests", "none failed in the last "
                    + dev.kubani.util.Times.compact(recent), Steps.elapsed(start)));
        }
        return out;
    }

    /** Why a CertificateRequest failed, or null when it did not. */
    static String failure(GenericKubernetesResource r) {
        for (String type : List.of("Denied", "InvalidRequest")) {
            Map<String, Object> c = condition(r, type);
            if (c != null && "True".equals(c.get("status"))) {
                return type + suffix(c);
            }
        }
        Map<String, Object> ready = condition(r, "Ready");
        if (ready != null && "False".equals(ready.get("status")) && "Failed".equals(ready.get("reason"))) {
            return Objects.toString(ready.get("message"), "Failed");
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(GenericKubernetesResource r) {
        Object s = r.getAdditionalProperties().get("status");
        return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> condition(GenericKubernetesResource r, String type) {
        if (status(r).get("conditions") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                    return (Map<String, Object>) m;
                }
            }
        }
        return null;
    }

    private static String suffix(Map<String, Object> c) {
        if (c == null) {
            return " (no Ready condition yet)";
        }
        String reason = Objects.toString(c.get("reason"), "");
        String msg = Errors.firstLine(Objects.toString(c.get("message"), ""));
        if (reason.isEmpty() && msg.isEmpty()) {
            return "";
        }
        return " (" + reason + (reason.isEmpty() || msg.isEmpty() ? "" : ": ") + msg + ")";
    }

    static Instant time(Object v) {
        if (!(v instanceof String s) || s.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
