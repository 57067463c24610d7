package dev.kubani.inventory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The validation rules for inventory values. Each check returns null when the value is fine,
 * or a sentence that says what is wrong and how to fix it.
 */
public final class Rules {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern QUANTITY = Pattern.compile("(\\d+(\\.\\d+)?|\\.\\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");
    private static final Pattern K3S_VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+(-rc\\d+)?\\+k3s\\d+");
    private static final Pattern K0S_VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+(-rc\\.?\\d+)?\\+k0s\\.\\d+");
    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern GIT_SCP = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s]+");
    private static final Pattern GIT_REF = Pattern.compile("[A-Za-z0-9._/-]+");

    /** Tailscale's IPv4 range (CGNAT) and its IPv6 ULA prefix. */
    public static final Cidr TAILNET_V4 = Cidr.parse("100.64.0.0/10");
    public static final Cidr TAILNET_V6 = Cidr.parse("fd7a:115c:a1e0::/48");

    private Rules() {
    }

    /** RFC 1123 host name, lower case, as Kubernetes node names need. */
    public static String hostname(String s) {
        if (s == null || s.isEmpty()) {
            return "the host name is empty";
        }
        if (s.length() > 253) {
            return "'" + s + "' is longer than 253 characters";
        }
        int from = 0;
        while (true) {
            int dot = s.indexOf('.', from);
            int to = dot < 0 ? s.length() : dot;
            if (!isDnsLabel(s, from, to)) {
                return "'" + s + "' is not a valid host name (RFC 1123): use lower-case letters, digits and '-', "
                        + "at most 63 per dot-separated part, starting and ending with a letter or digit";
            }
            if (dot < 0) {
                return null;
            }
            from = dot + 1;
        }
    }

    /** s[from, to) matches DNS_LABEL: 1-63 of [a-z0-9-], not starting or ending with '-' (hand-written: runs per host). */
    private static boolean isDnsLabel(String s, int from, int to) {
        int n = to - from;
        if (n < 1 || n > 63 || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Parses an IPv4 or IPv6 literal strictly (never a DNS lookup); null if it is not one. */
    public static InetAddress ip(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            if (!s.matches("[0-9A-Fa-f:.]+")) {
                return null;
            }
            try {
                InetAddress a = InetAddress.getByName(s);
                return a;
            } catch (UnknownHostException | SecurityException e) {
                return null;
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !allDigits(p) || p.length() > 1 && p.charAt(0) == '0') {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Every char a digit (Character.isDigit, as Integer.parseInt reads them); a loop, not a stream: cold code. */
    private static boolean allDigits(String p) {
        for (int i = 0; i < p.length(); i++) {
            if (!Character.isDigit(p.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static boolean inTailnet(InetAddress a) {
        return TAILNET_V4.contains(a) || TAILNET_V6.contains(a);
    }

    /** A Tailscale IP: valid, and inside the tailnet ranges unless {@code allowOther}. */
    public static String tailscaleIp(String s, boolean allowOther) {
        InetAddress a = ip(s);
        if (a == null) {
            return "'" + s + "' is not an IPv4 or IPv6 address; use the node's Tailscale IP (`tailscale ip -4` on the node)";
        }
        if (!allowOther && !inTailnet(a)) {
            return "'" + s + "' is outside the tailnet ranges 100.64.0.0/10 and fd7a:115c:a1e0::/48; use the node's "
                    + "Tailscale IP (`tailscale ip -4`), or pass --allow-non-tailscale if you mean it";
        }
        return null;
    }

    /** SSH address: an IP or a DNS name. */
    public static String address(String s) {
        if (ip(s) != null) {
            return null;
        }
        if (s != null && s.matches("[0-9.]+")) {
            return "'" + s + "' is not a valid IPv4 address";
        }
        String h = hostname(s == null ? null : s.toLowerCase(java.util.Locale.ROOT));
        return h == null ? null : "'" + s + "' is neither an IP address nor a DNS name";
    }

    /** A Kubernetes quantity such as "2", "500m", "4Gi". */
    public static String quantity(String s) {
        if (s == null || !QUANTITY.matcher(s).matches()) {
            return "'" + s + "' is not a quantity; write it like \"2\", \"500m\" or \"4Gi\"";
        }
        return null;
    }

    /** A label key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    public static String labelKey(String k) {
        if (k == null || k.isEmpty()) {
            return "a label key is empty";
        }
        String name = k;
        int slash = k.indexOf('/');
        if (slash >= 0) {
            String prefix = k.substring(0, slash);
            name = k.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || hostname(prefix) != null) {
                return "label key '" + k + "' has an invalid prefix: it must be a lower-case DNS name such as example.com";
            }
        }
        if (name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            return "label key '" + k + "' is invalid: the name part must be 1-63 characters of letters, digits, "
                    + "'-', '_' or '.', starting and ending with a letter or digit";
        }
        return null;
    }

    public static String labelValue(String v) {
        if (v == null) {
            return "a label value is missing";
        }
        if (v.isEmpty()) {
            return null;
        }
        if (v.length() > 63 || !LABEL_NAME.matcher(v).matches()) {
            return "label value '" + v + "' is invalid: at most 63 characters of letters, digits, '-', '_' or '.', "
                    + "starting and ending with a letter or digit";
        }
        return null;
    }

    public static String taint(NodeTaint t) {
        String k = labelKey(t.key());
        if (k != null) {
            return "taint " + k.replaceFirst("^label ", "");
        }
        if (t.value() != null && !t.value().isEmpty()) {
            String v = labelValue(t.value());
            if (v != null) {
                return "taint " + v.replaceFirst("^label ", "");
            }
        }
        if (!NodeTaint.EFFECTS.contains(t.effect())) {
            return "taint effect '" + t.effect() + "' must be NoSchedule, PreferNoSchedule or NoExecute";
        }
        return null;
    }

    public static String k3sVersion(String v) {
        return v != null && K3S_VERSION.matcher(v).matches() ? null
                : "'" + v + "' is not a K3s version; write it like v1.31.4+k3s1 (see the K3s releases page)";
    }

    public static String k0sVersion(String v) {
        return v != null && K0S_VERSION.matcher(v).matches() ? null
                : "'" + v + "' is not a k0s version; write it like v1.31.3+k0s.0";
    }

    public static String cidr(String v) {
        try {
            Cidr.parse(v);
            return null;
        } catch (IllegalArgumentException e) {
            return "'" + v + "' is not a CIDR; write it like 10.42.0.0/16";
        }
    }

    public static String dnsName(String v) {
        return hostname(v) == null ? null : "'" + v + "' is not a DNS name; write it like cluster.local";
    }

    public static String dnsLabel(String v) {
        return v != null && v.length() <= 63 && DNS_LABEL.matcher(v).matches() ? null
                : "'" + v + "' must be lower-case letters, digits and '-', at most 63 characters";
    }

    public static String gitUrl(String v) {
        if (v == null || v.isBlank()) {
            return "the Git URL is empty";
        }
        if (GIT_SCP.matcher(v).matches()) {
            return null;
        }
        try {
            java.net.URI u = new java.net.URI(v);
            String scheme = u.getScheme();
            if (scheme != null && (scheme.equals("https") || scheme.equals("http") || scheme.equals("ssh"))
                    && u.getHost() != null) {
                return null;
            }
        } catch (java.net.URISyntaxException e) {
            // fall through
        }
        return "'" + v + "' is not a Git URL; use https://host/owner/repo.git, ssh://git@host/owner/repo.git or git@host:owner/repo.git";
    }

    public static String gitRef(String v) {
        return v != null && GIT_REF.matcher(v).matches() && !v.contains("..") && !v.endsWith("/") && !v.startsWith("/")
                ? null : "'" + v + "' is not a valid Git branch name";
    }

    public static String varName(String v) {
        return v != null && VAR_NAME.matcher(v).matches() ? null
                : "'" + v + "' is not a valid Ansible variable name: use letters, digits and '_', not starting with a digit";
    }

    /** An IP network: address/prefix. */
    public record Cidr(byte[] network, int prefix) {
        public static Cidr parse(String s) {
            if (s == null) {
                throw new IllegalArgumentException("null");
            }
            int slash = s.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException(s);
            }
            InetAddress a = ip(s.substring(0, slash));
            String p = s.substring(slash + 1);
            if (a == null || p.isEmpty() || p.length() > 3 || !allDigits(p)) {
                throw new IllegalArgumentException(s);
            }
            int prefix = Integer.parseInt(p);
            if (prefix > a.getAddress().length * 8) {
                throw new IllegalArgumentException(s);
            }
            return new Cidr(a.getAddress(), prefix);
        }

        public boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            // the first 'prefix' bits are equal (byte by byte; no BigInteger in code that runs per host)
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }
    }
}
