package dev.kubani.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * K3s-shaped objects for fabric8's CRUD mock API server (it stands in for a K3s API server in
 * tests; no real kube-apiserver runs here), and a kubeconfig that points at the mock.
 */
public final class MockCluster {
    private MockCluster() {
    }

    /** A Node as K3s registers it: role label, flannel public-ip and k3s node-args annotations, Tailscale InternalIP. */
    public static Node k3sNode(String name, String ip, boolean server, String ready) {
        String now = Instant.now().toString();
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
                .withCreationTimestamp(Instant.now().minusSeconds(86400 * 3).toString())
                .addToLabels("kubernetes.io/hostname", name).addToLabels("node.kubernetes.io/instance-type", "k3s")
                .addToAnnotations("flannel.alpha.coreos.com/public-ip", ip)
                .addToAnnotations("k3s.io/node-args", "[\"" + (server ? "server" : "agent") + "\",\"--node-ip\",\"" + ip
                        + "\",\"--flannel-iface\",\"tailscale0\"]")
                .endMetadata();
        if (server) {
            b.editMetadata().addToLabels("node-role.kubernetes.io/control-plane", "true")
                    .addToLabels("node-role.kubernetes.io/master", "true").endMetadata();
        }
        return b.withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110")))
                .withCapacity(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110")))
                .addNewCondition().withType("Ready").withStatus(ready).withLastHeartbeatTime(now)
                .withLastTransitionTime(now).withReason("KubeletReady").endCondition()
                .withNewNodeInfo().withKubeletVersion("v1.31.4+k3s1").withContainerRuntimeVersion("containerd://1.7.23-k3s2")
                .endNodeInfo()
                .endStatus().build();
    }

    public static Pod pod(String ns, String name, String node, String app, boolean ready, int restarts) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", app)
                .withCreationTimestamp(Instant.now().minusSeconds(3600).toString()).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName(app).withImage(app + ":1").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewContainerStatus().withName(app).withReady(ready).withRestartCount(restarts)
                .withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().endState()
                .endContainerStatus().endStatus().build();
    }

    public static NodeMetrics metrics(String node, String cpu, String mem) {
        return new NodeMetricsBuilder().withNewMetadata().withName(node).endMetadata()
                .withUsage(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(mem))).build();
    }

    /** Writes a kubeconfig (mode 0600) whose context {@code context} points at the mock server. */
    public static Path kubeconfig(Path dir, KubernetesClient client, String context) throws IOException {
        Files.createDirectories(dir);
        Path kc = dir.resolve("kubeconfig");
        String server = client.getConfiguration().getMasterUrl().replaceAll("/$", "");
        Files.writeString(kc, "apiVersion: v1\nkind: Config\nclusters:\n- name: " + context + "\n  cluster:\n    server: " + server
                + "\n    insecure-skip-tls-verify: true\ncontexts:\n- name: " + context + "\n  context:\n    cluster: " + context
                + "\n    user: admin\ncurrent-context: " + context + "\nusers:\n- name: admin\n  user:\n    token: test-token\n");
        try {
            Files.setPosixFilePermissions(kc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return kc;
    }
}
