package dev.kubani.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Prints data for scripts: JSON or YAML of plain maps and lists. */
public final class Printer {
    private Printer() {
    }

    public static String json(Object data) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String yaml(Object data) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        o.setSplitLines(false);
        return new Yaml(o).dump(plain(data));
    }

    /** Prints {@code data} as JSON or YAML; returns false for TABLE so the caller draws its table. */
    public static boolean structured(ClusterMgr root, Object data) {
        OutputFormat f = root.outputFormat();
        if (f == OutputFormat.TABLE) {
            return false;
        }
        root.env().out().println(f == OutputFormat.JSON ? json(data) : yaml(data).stripTrailing());
        root.env().out().flush();
        return true;
    }

    /** Records and other objects become maps so SnakeYAML prints no tags. */
    private static Object plain(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(plain(v)));
            return out;
        }
        return o;
    }
}
