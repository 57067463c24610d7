package dev.kubani.cli.lab;

import dev.kubani.cli.ClusterMgr;
import dev.kubani.lab.LabPaths;
import dev.kubani.lab.LabPlan;
import dev.kubani.lab.LabSettings;
import dev.kubani.lab.LabVar;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The lab settings every lab command shares. Each flag overrides the environment variable of
 * seed 003 named in its description; unset, the seed's default applies.
 */
public final class LabOptions {
    @Option(names = "--control-planes", paramLabel = "N", description = "Controllers (env control_plane_count; default 1).")
    Integer controlPlanes;

    @Option(names = "--workers", paramLabel = "N", description = "Workers (env worker_count; default 1).")
    Integer workers;

    @Option(names = "--memory-control", paramLabel = "MB", description = "Memory per controller (env memory_control; default 2048).")
    Integer memoryControl;

    @Option(names = "--memory-worker", paramLabel = "MB", description = "Memory per worker (env memory_worker; default 4096).")
    Integer memoryWorker;

    @Option(names = "--cpu-control", paramLabel = "N", description = "CPUs per controller (env cpu_control; default 2).")
    Integer cpuControl;

    @Option(names = "--cpu-worker", paramLabel = "N", description = "CPUs per worker (env cpu_worker; default 2).")
    Integer cpuWorker;

    @Option(names = "--disk-size", paramLabel = "GB", description = "Disk per VM (env disk_size; default 32).")
    Integer diskSize;

    @Option(names = "--subnet", paramLabel = "CIDR",
            description = "Lab network; controllers get host .10 on, workers .20 on (env lab_subnet; default 192.168.64.0/24).")
    String subnet;

    @Option(names = "--provider", paramLabel = "NAME",
            description = "Vagrant provider: tart or libvirt (env lab_provider or VAGRANT_DEFAULT_PROVIDER; default tart on macOS, "
                    + "libvirt elsewhere).")
    String provider;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--lab-dir", paramLabel = "DIR", description = "The lab directory (default: lab/ of the Kubani checkout).")
    Path labDir;

    public LabSettings settings(ClusterMgr root) {
        Map<LabVar, Integer> flags = new EnumMap<>(LabVar.class);
        put(flags, LabVar.CONTROL_PLANE_COUNT, controlPlanes);
        put(flags, LabVar.WORKER_COUNT, workers);
        put(flags, LabVar.MEMORY_CONTROL, memoryControl);
        put(flags, LabVar.MEMORY_WORKER, memoryWorker);
        put(flags, LabVar.CPU_CONTROL, cpuControl);
        put(flags, LabVar.CPU_WORKER, cpuWorker);
        put(flags, LabVar.DISK_SIZE, diskSize);
        return LabSettings.resolve(root.env().vars(), flags, subnet, provider, System.getProperty("os.name"));
    }

    public LabPlan plan(ClusterMgr root) {
        return LabPlan.compute(settings(root));
    }

    public LabPaths paths(ClusterMgr root) {
        if (labDir != null) {
            return new LabPaths(labDir.isAbsolute() ? labDir : root.env().cwd().resolve(labDir));
        }
        return new LabPaths(root.home().resolve("lab"));
    }

    private static void put(Map<LabVar, Integer> m, LabVar v, Integer value) {
        if (value != null) {
            m.put(v, value);
        }
    }
}
