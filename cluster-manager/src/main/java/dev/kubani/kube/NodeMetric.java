package dev.kubani.kube;

/** A node's usage from metrics.k8s.io: CPU in millicores and memory in bytes. */
public record NodeMetric(String node, long cpuMilli, long memBytes) {
}
