package dev.kubani.sops;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The file formats SOPS stores: YAML, JSON, dotenv, and "binary" (any other file, stored as JSON
 * with the whole content in one {@code data} string). Chosen by file name, as sops does.
 */
public enum SopsFormat {
    YAML, JSON, DOTENV, BINARY;

    public static SopsFormat forFile(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            return YAML;
        }
        if (n.endsWith(".json")) {
            return JSON;
        }
        if (n.endsWith(".env")) {
            return DOTENV;
        }
        return BINARY;
    }

    public static SopsFormat parse(String s, String flag) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "yaml":
            case "yml":
                return YAML;
            case "json":
                return JSON;
            case "dotenv":
            case "env":
                return DOTENV;
            case "binary":
                return BINARY;
            default:
                throw SopsException.invalid(flag + ": unknown format '" + s + "'; use yaml, json, dotenv or binary");
        }
    }
}
