package dev.kubani.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The lab plan of seed 003: names, IPs, roles and resources, and the limits. */
class LabPlanTest {

    static LabPlan plan(int cps, int workers) {
        Map<LabVar, Integer> flags = new EnumMap<>(LabVar.class);
        flags.put(LabVar.CONTROL_PLANE_COUNT, cps);
        flags.put(LabVar.WORKER_COUNT, workers);
        return LabPlan.compute(LabSettings.resolve(Map.of(), flags, null, "libvirt", "Linux"));
    }

    static KubaniException rejected(Map<String, String> env, Map<LabVar, Integer> flags, String subnet) {
        try {
            LabPlan.compute(LabSettings.resolve(env, flags, subnet, "libvirt", "Linux"));
        } catch (KubaniException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
            assertThat(e.getMessage()).doesNotContain("\n");
            return e;
        }
        throw new AssertionError("plan was accepted");
    }

    @Test
    @DisplayName("defaults: 1 controller running workloads + 1 worker, seed resources, .10 and .20")
    void defaults() {
        LabPlan p = LabPlan.compute(LabSettings.resolve(Map.of(), Map.of(), null, null, "Linux"));
        assertThat(p.mode()).isEqualTo("development");
        assertThat(p.settings().provider()).isEqualTo(Provider.LIBVIRT);
        assertThat(p.nodes()).containsExactly(
                new LabNode("control-plane-1", LabNode.NodeClass.CONTROLLER, "controller+worker", "192.168.64.10", 2, 2048, 32),
                new LabNode("worker-1", LabNode.NodeClass.WORKER, "worker", "192.168.64.20", 2, 4096, 32));
        assertThat(p.warnings()).isEmpty();
        assertThat(LabSettings.resolve(Map.of(), Map.of(), null, null, "Mac OS X").provider()).isEqualTo(Provider.TART);
    }

    @Test
    @DisplayName("3+2 is HA: one of three controllers runs workloads")
    void ha3plus2() {
        LabPlan p = plan(3, 2);
        assertThat(p.mode()).isEqualTo("ha");
        assertThat(p.nodes()).extracting(LabNode::name).containsExactly("control-plane-1", "control-plane-2", "control-plane-3",
                "worker-1", "worker-2");
        assertThat(p.nodes()).extracting(LabNode::k0sRole).containsExactly("controller+worker", "controller", "controller",
                "worker", "worker");
        assertThat(p.nodes()).extracting(LabNode::ip).containsExactly("192.168.64.10", "192.168.64.11", "192.168.64.12",
                "192.168.64.20", "192.168.64.21");
        assertThat(p.controllers()).allSatisfy(n -> assertThat(n.memoryMb()).isEqualTo(2048));
        assertThat(p.workers()).allSatisfy(n -> assertThat(n.memoryMb()).isEqualTo(4096));
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    @DisplayName("5+10: one workload controller, workers .20 to .29")
    void five10() {
        LabPlan p = plan(5, 10);
        assertThat(p.controllers()).extracting(LabNode::ip).containsExactly("192.168.64.10", "192.168.64.11", "192.168.64.12",
                "192.168.64.13", "192.168.64.14");
        assertThat(p.controllers().stream().filter(LabNode::runsWorkloads)).extracting(LabNode::name)
                .containsExactly("control-plane-1");
        assertThat(p.workers()).hasSize(10);
        assertThat(p.workers().get(9)).extracting(LabNode::name, LabNode::ip).containsExactly("worker-10", "192.168.64.29");
    }

    @Test
    @DisplayName("development mode: 2 controllers both run workloads and get a quorum warning")
    void twoControllers() {
        LabPlan p = plan(2, 0);
        assertThat(p.mode()).isEqualTo("development");
        assertThat(p.nodes()).allSatisfy(n -> assertThat(n.k0sRole()).isEqualTo("controller+worker"));
        assertThat(p.warnings()).singleElement().asString().contains("2 controllers").contains("odd");
        assertThat(LabPlan.workloadControllers(6)).isEqualTo(2);
        assertThat(LabPlan.workloadControllers(9)).isEqualTo(3);
        assertThat(LabPlan.workloadControllers(4)).isEqualTo(1);
        assertThat(plan(4, 1).warnings()).hasSize(1);
    }

    @Test
    @DisplayName("limits: 10 controllers fit, 11 overlap the workers; 235 workers fit a /24, 236 overflow")
    void limits() {
        assertThat(plan(10, 1).controllers().get(9).ip()).isEqualTo("192.168.64.19");
        assertThat(plan(1, 235).workers().get(234).ip()).isEqualTo("192.168.64.254");
        Map<LabVar, Integer> f = new EnumMap<>(LabVar.class);
        f.put(LabVar.CONTROL_PLANE_COUNT, 11);
        assertThat(rejected(Map.of(), f, null).getMessage()).startsWith("--control-planes=11: ")
                .contains("overlap the workers' range from 192.168.64.20").contains("at most 10");
        f.clear();
        f.put(LabVar.WORKER_COUNT, 236);
        assertThat(rejected(Map.of(), f, null).getMessage()).startsWith("--workers=236 ")
                .contains("192.168.64.255").contains("at most 235 workers");
        assertThat(rejected(Map.of("worker_count", "2"), Map.of(), "10.1.0.0/28").getMessage())
                .startsWith("environment variable worker_count=2 does not fit in --subnet 10.1.0.0/28").contains("at most 0 workers");
        assertThat(rejected(Map.of(), Map.of(), "10.1.0.0/29").getMessage()).contains("too small for 1 controller");
        // a bigger subnet takes more
        f.put(LabVar.WORKER_COUNT, 500);
        assertThat(LabPlan.compute(LabSettings.resolve(Map.of(), f, "10.20.0.0/22", "libvirt", null)).workers().get(499).ip())
                .isEqualTo("10.20.2.7");
    }

    @Test
    @DisplayName("bad values name the variable or flag; flags win over the environment")
    void sources() {
        assertThat(rejected(Map.of("worker_count", "two"), Map.of(), null).getMessage())
                .startsWith("environment variable worker_count='two': must be a whole number");
        assertThat(rejected(Map.of("MEMORY_WORKER", "512"), Map.of(), null).getMessage())
                .startsWith("environment variable MEMORY_WORKER=512: MB per worker must be between 1024");
        Map<LabVar, Integer> f = new EnumMap<>(LabVar.class);
        f.put(LabVar.CONTROL_PLANE_COUNT, 0);
        assertThat(rejected(Map.of(), f, null).getMessage()).startsWith("--control-planes=0: ");
        assertThat(rejected(Map.of(), Map.of(), "192.168.64.5/24").getMessage())
                .contains("not the network address").contains("192.168.64.0/24");
        assertThat(rejected(Map.of("lab_subnet", "nonsense"), Map.of(), null).getMessage())
                .startsWith("environment variable lab_subnet='nonsense'");
        assertThatThrownBy(() -> LabSettings.resolve(Map.of(), Map.of(), null, "virtualbox", null))
                .hasMessageStartingWith("--provider='virtualbox': unknown provider");
        f.clear();
        f.put(LabVar.CPU_WORKER, 4);
        LabSettings s = LabSettings.resolve(Map.of("cpu_worker", "8", "cpu_control", "3", "disk_size", "40"), f, null, null, null);
        assertThat(s.get(LabVar.CPU_WORKER)).isEqualTo(4);
        assertThat(s.get(LabVar.CPU_CONTROL)).isEqualTo(3);
        assertThat(s.source(LabVar.CPU_CONTROL)).isEqualTo("environment variable cpu_control");
        LabPlan p = LabPlan.compute(s);
        assertThat(p.nodes()).allSatisfy(n -> assertThat(n.diskGb()).isEqualTo(40));
        assertThat(p.workers().get(0).cpus()).isEqualTo(4);
        assertThat(LabSettings.resolve(Map.of("VAGRANT_DEFAULT_PROVIDER", "tart"), Map.of(), null, null, "Linux").provider())
                .isEqualTo(Provider.TART);
        assertThat(List.of(LabSettings.resolve(Map.of("lab_provider", "libvirt", "VAGRANT_DEFAULT_PROVIDER", "tart"), Map.of(),
                null, null, "Mac OS X").provider())).containsExactly(Provider.LIBVIRT);
    }
}
