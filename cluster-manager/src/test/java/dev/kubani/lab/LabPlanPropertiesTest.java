package dev.kubani.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.core.KubaniException;
import dev.kubani.testutil.Seeds;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Seeded properties of the lab plan (seed 003). They are the lab's own rules, not among the
 * 25 design properties of seed 000.
 */
class LabPlanPropertiesTest {

    /** A random plan input: counts that may or may not fit, in a random subnet of /16 to /28. */
    record Input(int cps, int workers, String subnet) {
        static Input random(Random r) {
            int prefix = 16 + r.nextInt(13);
            long size = 1L << (32 - prefix);
            long net = (10L << 24) + (r.nextInt(1 << 20) * size) % (1L << 24);
            net = net / size * size;
            int cps = 1 + r.nextInt(r.nextBoolean() ? 3 : 12);
            int workers = r.nextInt(r.nextInt(4) == 0 ? 400 : 12);
            return new Input(cps, workers, Subnet.format(net) + "/" + prefix);
        }

        LabPlan plan() {
            Map<LabVar, Integer> f = new EnumMap<>(LabVar.class);
            f.put(LabVar.CONTROL_PLANE_COUNT, cps);
            f.put(LabVar.WORKER_COUNT, workers);
            return LabPlan.compute(LabSettings.resolve(Map.of(), f, subnet, "libvirt", null));
        }

        boolean fits() {
            long last = (1L << (32 - Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1)))) - 2;
            return cps <= 10 && 10 + cps - 1 <= last && (workers == 0 || 20 + workers - 1 <= last);
        }
    }

    @Test
    @DisplayName("Lab plan property: no two hosts share a name or an IP, and every IP lies in the subnet")
    void uniqueAndInSubnet() {
        Seeds.forAll("lab plan: unique names and IPs in the subnet", 300, r -> {
            Input in = Input.random(r);
            LabPlan p;
            try {
                p = in.plan();
            } catch (KubaniException e) {
                assertThat(in.fits()).as("rejected %s: %s", in, e.getMessage()).isFalse();
                assertThat(e.getMessage()).containsAnyOf("overlap", "does not fit", "too small");
                return;
            }
            assertThat(in.fits()).as("accepted %s", in).isTrue();
            Set<String> names = new HashSet<>();
            Set<String> ips = new HashSet<>();
            Subnet net = Subnet.parse(in.subnet(), "test");
            for (LabNode n : p.nodes()) {
                assertThat(names.add(n.name())).as("duplicate name %s in %s", n.name(), in).isTrue();
                assertThat(ips.add(n.ip())).as("duplicate IP %s in %s", n.ip(), in).isTrue();
                assertThat(net.contains(n.ip())).as("%s outside %s", n.ip(), in.subnet()).isTrue();
                assertThat(n.ip()).isNotEqualTo(Subnet.format(net.network()));
            }
            assertThat(p.nodes()).hasSize(in.cps() + in.workers());
        });
    }

    @Test
    @DisplayName("Lab plan property: workload-running controllers are all of them below 3, else a third (at least one)")
    void workloadControllers() {
        Seeds.forAll("lab plan: workload controller count", 200, r -> {
            int cps = 1 + r.nextInt(10);
            Input in = new Input(cps, r.nextInt(5), "192.168.64.0/24");
            LabPlan p = in.plan();
            long busy = p.controllers().stream().filter(LabNode::runsWorkloads).count();
            if (cps < 3) {
                assertThat(busy).isEqualTo(cps);
                assertThat(p.mode()).isEqualTo("development");
            } else {
                assertThat(busy).isEqualTo(Math.max(1, cps / 3)).isLessThanOrEqualTo(cps / 3 == 0 ? 1 : cps / 3);
                assertThat(p.mode()).isEqualTo("ha");
            }
            assertThat(p.warnings().isEmpty()).isEqualTo(cps % 2 == 1);
        });
    }

    @Test
    @DisplayName("Lab plan property: there is always a place for workloads to run")
    void alwaysAPlaceForWorkloads() {
        Seeds.forAll("lab plan: a place for workloads", 200, r -> {
            Input in = new Input(1 + r.nextInt(10), r.nextInt(3), "192.168.64.0/24");
            LabPlan p = in.plan();
            assertThat(p.nodes().stream().filter(LabNode::runsWorkloads).count()).isGreaterThanOrEqualTo(1);
            assertThat(p.controllers().stream().filter(LabNode::runsWorkloads)).isNotEmpty();
        });
    }
}
