package dev.kubani.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Rules;
import dev.kubani.inventory.VarSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parsing and checking of config keys and values typed on the command line. */
final class ConfigValue {
    private static final Pattern SECRET = Pattern.compile("(?i).*(token|password|passwd|secret|private|api_key|apikey|age_key).*");

    private ConfigValue() {
    }

    /** "flux.namespace" to [flux, namespace]; every part non-empty, the first a valid variable name. */
    static List<String> key(String dotted) {
        List<String> parts = new ArrayList<>(List.of(dotted.split("\\.", -1)));
        for (String p : parts) {
            if (p.isEmpty()) {
                throw KubaniException.invalidInput("KEY: '" + dotted + "' has an empty part; write e.g. flux.namespace");
            }
        }
        String err = Rules.varName(parts.get(0));
        if (err != null) {
            throw KubaniException.invalidInput("KEY: " + err);
        }
        return parts;
    }

    static boolean secret(List<String> key) {
        return key.stream().anyMatch(k -> SECRET.matcher(k).matches());
    }

    /** Converts the text to the requested type (or the known type of the key, or str). */
    static Object convert(String text, String type, List<String> key) {
        VarSchema.Spec spec = key.size() == 1 ? VarSchema.spec(key.get(0)) : null;
        String t = type != null ? type.toLowerCase(Locale.ROOT)
                : spec == null ? "str" : spec.type().name().toLowerCase(Locale.ROOT);
        Object value = switch (t) {
            case "str" -> text;
            case "int" -> {
                try {
                    yield Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    throw KubaniException.invalidInput("VALUE: '" + text + "' is not a whole number (--type int)");
                }
            }
            case "bool" -> switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> Boolean.TRUE;
                case "false", "no", "off", "0" -> Boolean.FALSE;
                default -> throw KubaniException.invalidInput("VALUE: '" + text + "' is not a boolean; use true or false (--type bool)");
            };
            case "json" -> {
                try {
                    yield new ObjectMapper().readValue(text, Object.class);
                } catch (JsonProcessingException e) {
                    throw KubaniException.invalidInput("VALUE: not valid JSON (" + e.getOriginalMessage()
                            + " at column " + e.getLocation().getColumnNr() + "); quote it in the shell, e.g. '{\"env\":\"prod\"}'");
                }
            }
            default -> throw KubaniException.invalidInput("--type: '" + type + "' is not one of str, int, bool, json");
        };
        if (value instanceof Integer i) {
            value = i.longValue();
        }
        if (spec != null) {
            String err = spec.validate(value);
            if (err != null) {
                throw KubaniException.invalidInput(key.get(0) + ": " + err);
            }
        }
        return value;
    }
}
