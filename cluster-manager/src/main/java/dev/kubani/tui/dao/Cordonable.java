package dev.kubani.tui.dao;

/** A source whose nodes can be cordoned and uncordoned. */
public interface Cordonable {
    /** Marks {@code node} unschedulable (cordon) or schedulable again (uncordon). Throws on failure. */
    void setUnschedulable(String node, boolean unschedulable);
}
