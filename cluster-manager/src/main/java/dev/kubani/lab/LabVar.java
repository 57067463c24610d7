package dev.kubani.lab;

/**
 * The numeric lab settings of seed 003 ("Environment Variables Configuration"): each is read
 * from an environment variable of the same name (lower case as in the seed, or upper case),
 * can be overridden by a flag, and has the seed's default and a lower bound.
 */
public enum LabVar {
    CONTROL_PLANE_COUNT("control_plane_count", "--control-planes", 1, 1, 100_000, "controllers"),
    WORKER_COUNT("worker_count", "--workers", 1, 0, 100_000, "workers"),
    MEMORY_CONTROL("memory_control", "--memory-control", 2048, 1024, 1_048_576, "MB per controller"),
    MEMORY_WORKER("memory_worker", "--memory-worker", 4096, 1024, 1_048_576, "MB per worker"),
    CPU_CONTROL("cpu_control", "--cpu-control", 2, 1, 256, "CPUs per controller"),
    CPU_WORKER("cpu_worker", "--cpu-worker", 2, 1, 256, "CPUs per worker"),
    DISK_SIZE("disk_size", "--disk-size", 32, 10, 4096, "GB of disk per VM");

    private final String env;
    private final String flag;
    private final int dflt;
    private final int min;
    private final int max;
    private final String unit;

    LabVar(String env, String flag, int dflt, int min, int max, String unit) {
        this.env = env;
        this.flag = flag;
        this.dflt = dflt;
        this.min = min;
        this.max = max;
        this.unit = unit;
    }

    public String env() {
        return env;
    }

    public String flag() {
        return flag;
    }

    public int defaultValue() {
        return dflt;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public String unit() {
        return unit;
    }
}
