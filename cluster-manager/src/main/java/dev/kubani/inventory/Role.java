package dev.kubani.inventory;

import java.util.Locale;

/** A node's role, and the inventory group that holds it. */
public enum Role {
    CONTROL_PLANE("control-plane", "control_plane"),
    WORKER("worker", "workers");

    private final String label;
    private final String group;

    Role(String label, String group) {
        this.label = label;
        this.group = group;
    }

    public String label() {
        return label;
    }

    public String group() {
        return group;
    }

    public static Role parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "control-plane", "control_plane", "controlplane", "server", "cp" -> CONTROL_PLANE;
            case "worker", "workers", "agent" -> WORKER;
            default -> null;
        };
    }

    public static Role ofGroup(String group) {
        for (Role r : values()) {
            if (r.group.equals(group)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return label;
    }
}
