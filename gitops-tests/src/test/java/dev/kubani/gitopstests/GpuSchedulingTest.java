package dev.kubani.gitopstests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GPU workloads run only on GPU nodes (label gpu="true", taint nvidia.com/gpu=true:NoSchedule, as the
 * Ansible layer sets them), and the device plugin shares each GPU by time-slicing.
 */
class GpuSchedulingTest {

    static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod");

    static JsonNode podSpec(JsonNode o) {
        return switch (o.path("kind").asText()) {
            case "Pod" -> o.path("spec");
            case "CronJob" -> o.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            default -> o.path("spec").path("template").path("spec");
        };
    }

    static boolean requestsGpu(JsonNode pod) {
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path(list)) {
                if (c.path("resources").path("limits").has("nvidia.com/gpu")
                        || c.path("resources").path("requests").has("nvidia.com/gpu")) return true;
            }
        }
        return false;
    }

    static boolean onlyOnGpuNodes(JsonNode pod) {
        if (pod.path("nodeSelector").path("gpu").asText().equals("true")) return true;
        for (JsonNode term : pod.path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms")) {
            for (JsonNode e : term.path("matchExpressions")) {
                if (e.path("key").asText().equals("gpu") && e.path("operator").asText().equals("In")
                        && e.path("values").toString().contains("\"true\"")) return true;
            }
        }
        return false;
    }

    static boolean toleratesGpuTaint(JsonNode tolerations) {
        for (JsonNode t : tolerations) {
            boolean key = t.path("key").asText().equals("nvidia.com/gpu");
            boolean anyKey = !t.has("key") && t.path("operator").asText().equals("Exists");
            boolean effect = !t.has("effect") || t.path("effect").asText().equals("NoSchedule");
            if ((key || anyKey) && effect) return true;
        }
        return false;
    }

    @Test
    void everyPodThatAsksForAGpuIsPinnedToGpuNodesAndToleratesTheirTaint() {
        List<String> wrong = new ArrayList<>();
        List<String> gpuWorkloads = new ArrayList<>();
        for (Path d : GitopsRepo.kustomizationDirs()) {
            for (JsonNode o : GitopsRepo.render(d)) {
                if (!WORKLOADS.contains(o.path("kind").asText())) continue;
                JsonNode pod = podSpec(o);
                if (!requestsGpu(pod)) continue;
                gpuWorkloads.add(o.path("metadata").path("name").asText());
                if (!onlyOnGpuNodes(pod)) wrong.add(GitopsRepo.id(o) + ": no nodeSelector/affinity gpu=true");
                if (!toleratesGpuTaint(pod.path("tolerations"))) wrong.add(GitopsRepo.id(o) + ": no toleration for nvidia.com/gpu");
                if (!pod.path("runtimeClassName").asText().equals("nvidia")) wrong.add(GitopsRepo.id(o) + ": runtimeClassName is not nvidia");
            }
        }
        assertThat(gpuWorkloads).contains("gpu-test", "ml-training", "gpu-inference");
        assertThat(wrong).isEmpty();
    }

    @Test
    void mlTrainingIsAJobAndGpuInferenceSharesAGpuByTimeSlicing() {
        List<JsonNode> objs = GitopsRepo.render(GitopsRepo.gitops().resolve("apps/base/ml-training"));
        assertThat(objs).anyMatch(o -> o.path("kind").asText().equals("Job") && o.path("metadata").path("name").asText().equals("ml-training"));
        JsonNode inf = GitopsRepo.render(GitopsRepo.gitops().resolve("apps/base/gpu-inference")).stream()
                .filter(o -> o.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        // more replicas than GPUs, each asking for exactly one slice
        assertThat(inf.path("spec").path("replicas").asInt()).isGreaterThan(1);
        assertThat(podSpec(inf).path("containers").get(0).path("resources").path("limits").path("nvidia.com/gpu").asInt()).isEqualTo(1);
    }

    @Test
    void theDevicePluginRunsOnlyOnGpuNodesWithTimeSlicing() {
        JsonNode hr = GitopsRepo.renderSubstituted(GitopsRepo.gitops().resolve("infrastructure/nvidia-device-plugin")).stream()
                .filter(o -> o.path("kind").asText().equals("HelmRelease")).findFirst().orElseThrow();
        JsonNode v = hr.path("spec").path("values");
        assertThat(v.path("nodeSelector").path("gpu").asText()).isEqualTo("true");
        assertThat(toleratesGpuTaint(v.path("tolerations"))).isTrue();
        assertThat(v.path("affinity").isNull()).as("the chart's NFD-based default affinity is removed").isTrue();
        JsonNode config = GitopsRepo.parseYaml(v.path("config").path("map").path("default").asText()).get(0);
        JsonNode res = config.path("sharing").path("timeSlicing").path("resources").get(0);
        assertThat(res.path("name").asText()).isEqualTo("nvidia.com/gpu");
        assertThat(res.path("replicas").asInt())
                .isEqualTo(Integer.parseInt(GitopsRepo.clusterSettings().get("GPU_TIME_SLICES")))
                .isGreaterThan(1);
    }

    @Test
    void noOtherWorkloadToleratesTheGpuTaint() {
        // GPU nodes are kept for GPU work: ordinary apps must not tolerate their taint.
        List<String> wrong = new ArrayList<>();
        for (JsonNode o : GitopsRepo.render(GitopsRepo.gitops().resolve("apps/overlays/production"))) {
            if (!WORKLOADS.contains(o.path("kind").asText())) continue;
            JsonNode pod = podSpec(o);
            if (!requestsGpu(pod) && toleratesGpuTaint(pod.path("tolerations"))) wrong.add(GitopsRepo.id(o));
        }
        assertThat(wrong).isEmpty();
    }
}
