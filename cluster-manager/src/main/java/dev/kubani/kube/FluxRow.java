package dev.kubani.kube;

/** A Flux GitRepository or Kustomization: its Ready condition and the last applied revision. */
public record FluxRow(String kind, String namespace, String name, String ready, String revision, String message) {
}
