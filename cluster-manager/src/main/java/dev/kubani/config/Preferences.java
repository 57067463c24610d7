package dev.kubani.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kubani.core.KubaniException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Personal preferences from {@code $XDG_CONFIG_HOME/cluster-manager/config.toml} (default
 * {@code ~/.config/cluster-manager/config.toml}). Every key is optional; flags override them.
 *
 * <pre>
 * inventory = "/home/me/kubani/ansible/inventory/hosts.yml"
 * output = "table"        # table | json | yaml
 * color = "auto"          # auto | always | never
 * refresh = 5             # dashboard refresh interval, seconds
 * </pre>
 */
public record Preferences(Path source, Optional<String> inventory, Optional<String> output,
                          Optional<String> color, Optional<Integer> refreshSeconds) {

    private static final Set<String> KEYS = Set.of("inventory", "output", "color", "refresh");

    public static Preferences none() {
        return new Preferences(null, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The preference file for this environment. */
    public static Path defaultPath(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("cluster-manager").resolve("config.toml");
    }

    public static Preferences load(Map<String, String> env) {
        return load(defaultPath(env));
    }

    public static Preferences load(Path file) {
        if (!Files.isRegularFile(file)) {
            return none();
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw KubaniException.invalidInput(file + (line > 0 ? ":" + line : "") + ": not valid TOML ("
                    + e.getOriginalMessage() + "); fix the file or delete it to use the defaults");
        } catch (IOException e) {
            throw KubaniException.invalidInput(file + ": cannot read (" + e.getMessage() + ")");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw KubaniException.invalidInput(file + ": unknown key '" + k
                        + "'; known keys are inventory, output, color and refresh");
            }
        }
        Optional<String> output = text(root, "output", file);
        output.ifPresent(o -> {
            if (!Set.of("table", "json", "yaml").contains(o)) {
                throw KubaniException.invalidInput(file + ": output = \"" + o + "\" is not one of table, json, yaml");
            }
        });
        Optional<String> color = text(root, "color", file);
        color.ifPresent(c -> {
            if (!Set.of("auto", "always", "never").contains(c)) {
                throw KubaniException.invalidInput(file + ": color = \"" + c + "\" is not one of auto, always, never");
            }
        });
        Optional<Integer> refresh = Optional.empty();
        JsonNode r = root.get("refresh");
        if (r != null) {
            if (!r.canConvertToInt() || !r.isIntegralNumber() || r.asInt() < 1 || r.asInt() > 3600) {
                throw KubaniException.invalidInput(file + ": refresh = " + r
                        + " must be a whole number of seconds between 1 and 3600");
            }
            refresh = Optional.of(r.asInt());
        }
        return new Preferences(file, text(root, "inventory", file), output, color, refresh);
    }

    private static Optional<String> text(JsonNode root, String key, Path file) {
        JsonNode n = root.get(key);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw KubaniException.invalidInput(file + ": " + key + " must be a quoted string, got " + n);
        }
        return Optional.of(n.asText());
    }
}
