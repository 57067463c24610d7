package dev.kubani.ansible;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubani.core.KubaniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks --extra-vars values before ansible sees them, the three forms ansible-playbook takes:
 * a JSON object ({@code '{"k3s_version":"v1.28.5+k3s1"}'}), {@code k=v} pairs separated by
 * spaces (values may be quoted), or {@code @file}. A bad value is one line and exit code 2.
 */
public final class ExtraVars {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ExtraVars() {
    }

    /** The value to hand to ansible-playbook -e (files made absolute against {@code cwd}). */
    public static String check(String value, Path cwd) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw KubaniException.invalidInput("--extra-vars: empty value; write JSON ('{\"k3s_version\":\"v1.28.5+k3s1\"}') "
                    + "or key=value pairs");
        }
        if (v.startsWith("@")) {
            Path f = cwd.resolve(v.substring(1));
            if (!Files.isRegularFile(f)) {
                throw KubaniException.invalidInput("--extra-vars " + v + ": no such file " + f);
            }
            return "@" + f.toAbsolutePath().normalize();
        }
        if (v.startsWith("{") || v.startsWith("[")) {
            JsonNode n;
            try {
                n = new ObjectMapper().readTree(v);
            } catch (JsonProcessingException e) {
                String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
                throw KubaniException.invalidInput("--extra-vars: not valid JSON" + where + " ("
                        + e.getOriginalMessage() + "); write e.g. '{\"k3s_version\":\"v1.28.5+k3s1\"}'");
            }
            if (!n.isObject()) {
                throw KubaniException.invalidInput("--extra-vars: JSON must be an object of variable names, e.g. "
                        + "'{\"k3s_version\":\"v1.28.5+k3s1\"}'");
            }
            n.fieldNames().forEachRemaining(k -> {
                if (!NAME.matcher(k).matches()) {
                    throw KubaniException.invalidInput("--extra-vars: '" + k + "' is not a valid variable name "
                            + "(letters, digits and _, not starting with a digit)");
                }
            });
            return v;
        }
        for (String tok : split(v)) {
            int eq = tok.indexOf('=');
            if (eq <= 0) {
                throw KubaniException.invalidInput("--extra-vars: '" + tok + "' is not key=value; write e.g. "
                        + "--extra-vars k3s_version=v1.28.5+k3s1 or JSON");
            }
            String k = tok.substring(0, eq);
            if (!NAME.matcher(k).matches()) {
                throw KubaniException.invalidInput("--extra-vars: '" + k + "' is not a valid variable name "
                        + "(letters, digits and _, not starting with a digit)");
            }
        }
        return v;
    }

    /** Splits on spaces outside single or double quotes, as ansible's k=v parser does. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (Character.isWhitespace(c)) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw KubaniException.invalidInput("--extra-vars: unbalanced " + quote + " quote in '" + s + "'");
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
