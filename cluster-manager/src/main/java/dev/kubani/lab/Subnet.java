package dev.kubani.lab;

import dev.kubani.core.KubaniException;

/**
 * An IPv4 subnet such as 192.168.64.0/24, with host arithmetic for the lab's static addresses.
 * Only IPv4: Vagrant's private networks and the tart shared network are IPv4.
 */
public record Subnet(long network, int prefix) {

    /** Parses "a.b.c.d/p"; {@code where} names the flag or variable for the error line. */
    public static Subnet parse(String text, String where) {
        String s = text == null ? "" : text.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw KubaniException.invalidInput(where + "='" + s + "': not a subnet; write it as ADDRESS/PREFIX, e.g. 192.168.64.0/24");
        }
        Long addr = parseAddress(s.substring(0, slash));
        String p = s.substring(slash + 1);
        if (addr == null || p.isEmpty() || p.length() > 2 || !p.chars().allMatch(Character::isDigit)) {
            throw KubaniException.invalidInput(where + "='" + s + "': not an IPv4 subnet; write it as ADDRESS/PREFIX, e.g. 192.168.64.0/24");
        }
        int prefix = Integer.parseInt(p);
        if (prefix < 8 || prefix > 30) {
            throw KubaniException.invalidInput(where + "='" + s + "': prefix /" + prefix + " is out of range; use /8 to /30 (e.g. /24)");
        }
        long mask = mask(prefix);
        if ((addr & ~mask & 0xFFFFFFFFL) != 0) {
            throw KubaniException.invalidInput(where + "='" + s + "': " + format(addr) + " is not the network address of a /"
                    + prefix + "; use " + format(addr & mask) + "/" + prefix);
        }
        return new Subnet(addr, prefix);
    }

    static Long parseAddress(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long v = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int o = Integer.parseInt(part);
            if (o > 255) {
                return null;
            }
            v = (v << 8) | o;
        }
        return v;
    }

    private static long mask(int prefix) {
        return (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    public static String format(long a) {
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    /** The n-th address after the network address (n = 10 gives 192.168.64.10 in a /24). */
    public long host(long n) {
        return network + n;
    }

    /** Host offset of the last usable address (the one before the broadcast address). */
    public long lastHostOffset() {
        return (1L << (32 - prefix)) - 2;
    }

    public boolean contains(String address) {
        Long a = parseAddress(address);
        return a != null && (a & mask(prefix)) == network;
    }

    public String netmask() {
        return format(mask(prefix));
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
