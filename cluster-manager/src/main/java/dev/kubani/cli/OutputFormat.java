package dev.kubani.cli;

import java.util.Locale;

/** How results are printed: tables for people, JSON or YAML for scripts (kubectl's convention). */
public enum OutputFormat {
    TABLE, JSON, YAML;

    public static OutputFormat parse(String value, String where) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw dev.kubani.core.KubaniException.invalidInput(
                    where + ": unknown output format '" + value + "'; use table, json or yaml");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
