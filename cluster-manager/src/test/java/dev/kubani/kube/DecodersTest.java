package dev.kubani.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rows decoded from JSON fixtures shaped like real K3s objects (kubectl get -o json of a K3s cluster). */
class DecodersTest {
    static JsonNode fixture(String name) {
        try (InputStream in = DecodersTest.class.getResourceAsStream("/dev/kubani/kube/" + name)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("a K3s server node: control-plane role from its label, Ready, Tailscale InternalIP, kubelet, allocatable")
    void k3sServerNode() {
        NodeRow n = Decoders.node(fixture("node-k3s-server.json"));
        assertThat(n.name()).isEqualTo("nuc");
        assertThat(n.role()).isEqualTo("control-plane");
        assertThat(n.status()).isEqualTo("Ready");
        assertThat(n.statusText()).isEqualTo("Ready");
        assertThat(n.internalIp()).isEqualTo("100.64.0.1");
        assertThat(n.flannelIp()).isEqualTo("100.64.0.1");
        assertThat(n.kubeletVersion()).isEqualTo("v1.31.4+k3s1");
        assertThat(n.cpuMilli()).isEqualTo(8000);
        assertThat(n.memBytes()).isEqualTo(16155208L * 1024);
        assertThat(n.gpus()).isZero();
        assertThat(n.heartbeat()).isEqualTo(java.time.Instant.parse("2026-11-23T10:00:00Z").getEpochSecond());
        assertThat(n.created()).isEqualTo(java.time.Instant.parse("2026-10-01T09:00:00Z").getEpochSecond());
    }

    @Test
    @DisplayName("an unreachable K3s agent: Unknown status, cordoned, GPU count, workstation and gpu labels, taints")
    void unreachableGpuAgent() {
        NodeRow n = Decoders.node(fixture("node-k3s-agent-gpu-unknown.json"));
        assertThat(n.role()).isEqualTo("worker");
        assertThat(n.status()).isEqualTo("Unknown");
        assertThat(n.statusText()).isEqualTo("Unknown,SchedulingDisabled");
        assertThat(n.gpus()).isEqualTo(1);
        assertThat(n.workstation()).isTrue();
        assertThat(n.gpuLabel()).isTrue();
        assertThat(n.cpuMilli()).isEqualTo(19500);
        assertThat(n.memBytes()).isEqualTo(120L << 30);
        assertThat(n.internalIp()).isEqualTo("192.168.1.23");
        assertThat(n.taints()).containsExactly("nvidia.com/gpu=true:NoSchedule", "node.kubernetes.io/unreachable:NoExecute");
    }

    @Test
    @DisplayName("pods: kubectl's STATUS column (Running, CrashLoopBackOff, Init:1/2, Terminating), ready and restarts")
    void pods() {
        PodRow run = Decoders.pod(fixture("pod-running.json"));
        assertThat(run.namespace()).isEqualTo("kube-system");
        assertThat(run.status()).isEqualTo("Running");
        assertThat(run.readyText()).isEqualTo("1/1");
        assertThat(run.restarts()).isEqualTo(2);
        assertThat(run.node()).isEqualTo("nuc");
        assertThat(run.label("k8s-app")).isEqualTo("kube-dns");
        assertThat(run.healthy()).isTrue();

        PodRow crash = Decoders.pod(fixture("pod-crashloop.json"));
        assertThat(crash.status()).isEqualTo("CrashLoopBackOff");
        assertThat(crash.readyText()).isEqualTo("1/2");
        assertThat(crash.restarts()).isEqualTo(7);
        assertThat(crash.healthy()).isFalse();

        PodRow init = Decoders.pod(fixture("pod-init-pending.json"));
        assertThat(init.status()).isEqualTo("Init:1/2");
        assertThat(init.readyText()).isEqualTo("0/1");

        assertThat(Decoders.pod(fixture("pod-terminating.json")).status()).isEqualTo("Terminating");
    }

    @Test
    @DisplayName("services, events, node metrics and Flux objects")
    void otherKinds() {
        ServiceRow s = Decoders.service(fixture("service-traefik.json"));
        assertThat(s.type()).isEqualTo("LoadBalancer");
        assertThat(s.ports()).containsExactly("80:31080/TCP", "443:31443/TCP");
        assertThat(s.loadBalancerIp()).isEqualTo("100.64.0.1");
        assertThat(s.selector()).containsEntry("app.kubernetes.io/name", "traefik");

        EventRow e = Decoders.event(fixture("event-warning.json"));
        assertThat(e.warning()).isTrue();
        assertThat(e.count()).isEqualTo(31);
        assertThat(e.object()).isEqualTo("comfyui-5d8f9c7b44-r2n8k");
        assertThat(e.message()).doesNotEndWith("\n");
        assertThat(e.last()).isEqualTo(java.time.Instant.parse("2026-11-23T09:58:00Z").toEpochMilli());

        NodeMetric m = Decoders.nodeMetric(fixture("nodemetrics-nuc.json"));
        assertThat(m.cpuMilli()).isEqualTo(3612);
        assertThat(m.memBytes()).isEqualTo(7012340L * 1024);

        FluxRow k = Decoders.flux(fixture("kustomization-apps.json"));
        assertThat(k.ready()).isEqualTo("True");
        assertThat(k.revision()).isEqualTo("main@sha1:3f2c9e1a7b");
        FluxRow g = Decoders.flux(fixture("gitrepository-flux-system.json"));
        assertThat(g.ready()).isEqualTo("False");
        assertThat(g.revision()).isEqualTo("main@sha1:3f2c9e1a7b");
        assertThat(g.message()).contains("unable to clone");
    }

    @Test
    @DisplayName("a list is decoded item by item, and its resourceVersion kept for the watch")
    void streamingList() throws IOException {
        String list = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"777\"},\"items\":["
                + fixture("pod-running.json") + "," + fixture("pod-crashloop.json") + "]}";
        List<PodRow> rows = new ArrayList<>();
        String rv = KubeApi.parseList(new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)), Decoders::pod, rows::add);
        assertThat(rv).isEqualTo("777");
        assertThat(rows).extracting(PodRow::name).containsExactly("coredns-ccb96694c-x2m8v", "comfyui-5d8f9c7b44-r2n8k");
    }

    @Test
    @DisplayName("the streaming pod decoder used for big lists gives the same rows as the tree decoder")
    void streamingPodDecoderMatches() throws IOException {
        List<String> names = List.of("pod-running.json", "pod-crashloop.json", "pod-init-pending.json", "pod-terminating.json");
        StringBuilder list = new StringBuilder("{\"metadata\":{\"resourceVersion\":\"9\"},\"items\":[");
        for (int i = 0; i < names.size(); i++) {
            list.append(i > 0 ? "," : "").append(fixture(names.get(i)));
        }
        list.append("]}");
        List<PodRow> streamed = new ArrayList<>();
        KubeApi.parseList(new ByteArrayInputStream(list.toString().getBytes(StandardCharsets.UTF_8)), KubeApi.POD_DECODER,
                streamed::add);
        assertThat(streamed).hasSize(names.size());
        for (int i = 0; i < names.size(); i++) {
            PodRow tree = Decoders.pod(fixture(names.get(i)));
            PodRow s = streamed.get(i);
            assertThat(s).usingRecursiveComparison().isEqualTo(tree);
        }
    }

    @Test
    @DisplayName("quantities: millicores, nanocores, binary and decimal suffixes")
    void quantities() {
        assertThat(Quantities.milli("250m")).isEqualTo(250);
        assertThat(Quantities.milli("2")).isEqualTo(2000);
        assertThat(Quantities.milli("1500000n")).isEqualTo(2);
        assertThat(Quantities.bytes("1Gi")).isEqualTo(1L << 30);
        assertThat(Quantities.bytes("1G")).isEqualTo(1_000_000_000L);
        assertThat(Quantities.bytes("1e3")).isEqualTo(1000);
        assertThat(Quantities.bytes("junk")).isZero();
        assertThat(Quantities.memory(2254857830L)).isEqualTo("2.1Gi");
        assertThat(Quantities.memory(12L << 30)).isEqualTo("12Gi");
    }
}
