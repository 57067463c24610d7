package dev.kubani.inventory;

import java.nio.file.Path;

/** One thing wrong with an inventory: where it is, which field, what is wrong and how to fix it. */
public record Problem(Severity severity, Path file, int line, String field, String message) {
    public Problem {
        field = field == null ? null : dev.kubani.core.KubaniException.oneLine(field);
        message = dev.kubani.core.KubaniException.oneLine(message);
    }

    public enum Severity { ERROR, WARNING }

    public static Problem error(Path file, int line, String field, String message) {
        return new Problem(Severity.ERROR, file, line, field, message);
    }

    public static Problem warning(Path file, int line, String field, String message) {
        return new Problem(Severity.WARNING, file, line, field, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public String location() {
        if (file == null) {
            return "";
        }
        return YamlDoc.displayName(file) + (line > 0 ? ":" + line : "");
    }

    /** "file:line: field: message" — one line for people. */
    @Override
    public String toString() {
        String loc = location();
        return (loc.isEmpty() ? "" : loc + ": ") + (field == null || field.isEmpty() ? "" : field + ": ") + message;
    }
}
