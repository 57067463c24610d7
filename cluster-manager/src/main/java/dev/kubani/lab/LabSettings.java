package dev.kubani.lab;

import dev.kubani.core.KubaniException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The inputs of a lab plan with where each came from: a flag wins over the environment
 * variable, which wins over the seed's default. Bad values fail with exit code 2 and a line
 * naming the flag or variable.
 */
public final class LabSettings {
    public static final String DEFAULT_SUBNET = "192.168.64.0/24";
    public static final String SUBNET_ENV = "lab_subnet";
    public static final String SUBNET_FLAG = "--subnet";
    public static final String PROVIDER_ENV = "lab_provider";
    public static final String PROVIDER_FLAG = "--provider";

    private final Map<LabVar, Integer> values = new EnumMap<>(LabVar.class);
    private final Map<LabVar, String> sources = new EnumMap<>(LabVar.class);
    private final Subnet subnet;
    private final String subnetSource;
    private final Provider provider;

    private LabSettings(Subnet subnet, String subnetSource, Provider provider) {
        this.subnet = subnet;
        this.subnetSource = subnetSource;
        this.provider = provider;
    }

    /**
     * Resolves every setting. {@code flags} holds the values given on the command line (absent
     * keys were not given); {@code subnetFlag} and {@code providerFlag} may be null.
     */
    public static LabSettings resolve(Map<String, String> env, Map<LabVar, Integer> flags, String subnetFlag,
                                      String providerFlag, String osName) {
        String subnetText;
        String subnetWhere;
        if (subnetFlag != null) {
            subnetText = subnetFlag;
            subnetWhere = SUBNET_FLAG;
        } else if (envVar(env, SUBNET_ENV) != null) {
            subnetText = envVar(env, SUBNET_ENV);
            subnetWhere = "environment variable " + envName(env, SUBNET_ENV);
        } else {
            subnetText = DEFAULT_SUBNET;
            subnetWhere = "default subnet";
        }
        Subnet subnet = Subnet.parse(subnetText, subnetWhere);
        Provider provider;
        if (providerFlag != null) {
            provider = Provider.parse(providerFlag, PROVIDER_FLAG);
        } else if (envVar(env, PROVIDER_ENV) != null) {
            provider = Provider.parse(envVar(env, PROVIDER_ENV), "environment variable " + envName(env, PROVIDER_ENV));
        } else if (env.get("VAGRANT_DEFAULT_PROVIDER") != null && !env.get("VAGRANT_DEFAULT_PROVIDER").isBlank()) {
            provider = Provider.parse(env.get("VAGRANT_DEFAULT_PROVIDER"), "environment variable VAGRANT_DEFAULT_PROVIDER");
        } else {
            provider = Provider.forHost(osName);
        }
        LabSettings s = new LabSettings(subnet, subnetWhere, provider);
        for (LabVar v : LabVar.values()) {
            int value;
            String where;
            if (flags.containsKey(v)) {
                value = flags.get(v);
                where = v.flag();
            } else if (envVar(env, v.env()) != null) {
                where = "environment variable " + envName(env, v.env());
                value = parseInt(envVar(env, v.env()), where, v);
            } else {
                value = v.defaultValue();
                where = "default " + v.env();
            }
            if (value < v.min() || value > v.max()) {
                throw KubaniException.invalidInput(where + "=" + value + ": " + v.unit() + " must be between " + v.min()
                        + " and " + v.max() + (v.min() > 0 && v == LabVar.CONTROL_PLANE_COUNT ? " (a cluster needs a controller)" : "")
                        + "; the seed's default is " + v.defaultValue());
            }
            s.values.put(v, value);
            s.sources.put(v, where);
        }
        return s;
    }

    /** The seed's defaults on the given provider, with no environment. */
    public static LabSettings defaults(Provider p) {
        return resolve(Map.of(), Map.of(), null, p.id(), null);
    }

    private static String envName(Map<String, String> env, String lower) {
        String v = env.get(lower);
        return v != null && !v.isBlank() ? lower : lower.toUpperCase(Locale.ROOT);
    }

    private static String envVar(Map<String, String> env, String lower) {
        String v = env.get(lower);
        if (v == null || v.isBlank()) {
            v = env.get(lower.toUpperCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int parseInt(String text, String where, LabVar v) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw KubaniException.invalidInput(where + "='" + text + "': must be a whole number of " + v.unit() + " (e.g. "
                    + v.env() + "=" + v.defaultValue() + "), or unset it for the default");
        }
    }

    public int get(LabVar v) {
        return values.get(v);
    }

    /** Where a value came from: the flag, "environment variable NAME", or "default NAME". */
    public String source(LabVar v) {
        return sources.get(v);
    }

    public Subnet subnet() {
        return subnet;
    }

    public String subnetSource() {
        return subnetSource;
    }

    public Provider provider() {
        return provider;
    }
}
