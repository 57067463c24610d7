package dev.kubani.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drain against fabric8's mock API server in CRUD mode, standing in for K3s's API server. The
 * CRUD mock stores PodDisruptionBudgets but does not enforce them on evictions, so for pods a
 * budget protects the test pins the eviction request to the answer a real API server gives
 * (429 Too Many Requests); everything else (cordon, listing, evicting, deleting) is CRUD.
 */
@EnableKubernetesMockClient(crud = true)
class DrainerTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    final List<String> log = new ArrayList<>();

    /**
     * Progress from the drainer. On "evicting ns/name" it deletes the pod, as K3s's API server
     * does for an accepted eviction (the CRUD mock stores the Eviction but keeps the pod).
     */
    void progress(String line) {
        log.add(line);
        if (line.startsWith("evicting ")) {
            String[] id = line.substring("evicting ".length()).split("/");
            client.pods().inNamespace(id[0]).withName(id[1]).delete();
        }
    }

    @BeforeEach
    void clean() {
        client.pods().inAnyNamespace().delete();
        client.nodes().delete();
        client.policy().v1().podDisruptionBudget().inAnyNamespace().delete();
        client.nodes().resource(K3sNodes.node("w1", false, "100.64.0.2", "True")).create();
        client.nodes().resource(K3sNodes.node("w2", false, "100.64.0.3", "True")).create();
    }

    static Pod pod(String ns, String name, String node, String ownerKind, String app) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid(name + "-uid")
                .addToLabels("app", app).endMetadata().withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").endStatus();
        if (ownerKind != null) {
            b.editMetadata().addNewOwnerReference().withKind(ownerKind).withName(app).withApiVersion("apps/v1")
                    .withUid(app + "-owner").withController(true).endOwnerReference().endMetadata();
        }
        return b.build();
    }

    void budget(String ns, String name, String app, int minAvailable, int allowed) {
        client.policy().v1().podDisruptionBudget().inNamespace(ns).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(minAvailable)).withNewSelector().addToMatchLabels("app", app)
                .endSelector().endSpec().withNewStatus().withDisruptionsAllowed(allowed).withCurrentHealthy(minAvailable)
                .withDesiredHealthy(minAvailable).withExpectedPods(minAvailable).endStatus().build()).create();
    }

    void refuseEviction(String ns, String name) {
        server.expect().post().withPath("/api/v1/namespaces/" + ns + "/pods/" + name + "/eviction")
                .andReturn(429, new StatusBuilder().withStatus("Failure").withCode(429).withReason("TooManyRequests")
                        .withMessage("Cannot evict pod as it would violate the pod's disruption budget.").build())
                .always();
    }

    @Test
    void evictsControlledPodsSkipsDaemonSetsAndCordons() throws Exception {
        client.pods().inNamespace("web").resource(pod("web", "web-1", "w1", "ReplicaSet", "web")).create();
        client.pods().inNamespace("kube-system").resource(pod("kube-system", "svclb-1", "w1", "DaemonSet", "svclb")).create();
        client.pods().inNamespace("web").resource(pod("web", "web-2", "w2", "ReplicaSet", "web")).create();
        Drainer.Report r = new Drainer(client, Duration.ofMillis(20)).drain("w1", Duration.ofSeconds(10), false,
                this::progress, () -> false);
        assertThat(r.drained()).as(r.toString()).isTrue();
        assertThat(r.evicted()).containsExactly("web/web-1");
        assertThat(r.ignored()).containsExactly("kube-system/svclb-1 (DaemonSet)");
        assertThat(client.nodes().withName("w1").get().getSpec().getUnschedulable()).isTrue();
        assertThat(client.pods().inNamespace("web").withName("web-1").get()).isNull();
        assertThat(client.pods().inNamespace("web").withName("web-2").get()).isNotNull();
        assertThat(client.nodes().withName("w2").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertThat(log).containsExactly("cordoned w1", "evicting web/web-1");
    }

    @Test
    void podsUnderADisruptionBudgetAreListedWithTheBudgetAfterTheTimeout() throws Exception {
        client.pods().inNamespace("db").resource(pod("db", "postgres-0", "w1", "StatefulSet", "postgres")).create();
        client.pods().inNamespace("web").resource(pod("web", "web-1", "w1", "ReplicaSet", "web")).create();
        client.pods().inNamespace("default").resource(pod("default", "debug", "w1", null, "debug")).create();
        budget("db", "postgres-pdb", "postgres", 1, 0);
        budget("web", "web-pdb", "web", 1, 1);
        refuseEviction("db", "postgres-0");
        Drainer.Report r = new Drainer(client, Duration.ofMillis(50)).drain("w1", Duration.ofMillis(400), false,
                this::progress, () -> false);
        assertThat(r.drained()).isFalse();
        assertThat(r.evicted()).containsExactly("web/web-1");
        assertThat(r.stuck()).extracting(Drainer.Stuck::toString).containsExactlyInAnyOrder(
                "db/postgres-0: blocked by PodDisruptionBudget db/postgres-pdb (minAvailable 1, 0 disruptions allowed now); "
                        + "scale the workload up or relax the budget",
                "default/debug: no controller (Deployment, StatefulSet, Job...) would recreate it, so evicting it would "
                        + "lose it; delete it yourself or pass --force");
        assertThat(client.pods().inNamespace("db").withName("postgres-0").get()).isNotNull();
    }

    @Test
    void forceEvictsBarePodsAndAMissingNodeIsReported() throws Exception {
        client.pods().inNamespace("default").resource(pod("default", "debug", "w1", null, "debug")).create();
        Drainer.Report r = new Drainer(client, Duration.ofMillis(20)).drain("w1", Duration.ofSeconds(5), true,
                this::progress, () -> false);
        assertThat(r.drained()).isTrue();
        assertThat(r.evicted()).containsExactly("default/debug");
        assertThat(new Drainer(client).drain("nope", Duration.ofSeconds(1), false, this::progress, () -> false).nodeFound())
                .isFalse();
    }
}
