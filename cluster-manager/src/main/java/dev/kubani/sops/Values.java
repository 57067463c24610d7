package dev.kubani.sops;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** SOPS's plaintext encoding of leaf values (sops.go ToBytes) and the type names in ENC[...]. */
final class Values {
    private Values() {
    }

    static String type(Object v) {
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
            return "int";
        }
        if (v instanceof Double || v instanceof Float) {
            return "float";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        throw new IllegalArgumentException("not a SOPS leaf value: " + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    static byte[] toBytes(Object v) {
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof Boolean b) {
            return (b ? "True" : "False").getBytes(StandardCharsets.US_ASCII);
        }
        if (v instanceof Double d) {
            return formatFloat(d).getBytes(StandardCharsets.US_ASCII);
        }
        if (v instanceof Float f) {
            return formatFloat(f.doubleValue()).getBytes(StandardCharsets.US_ASCII);
        }
        return v.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits that round-trip, never an exponent. */
    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        String s = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        return s;
    }

    /** Converts decrypted bytes back to a value of the ENC[...] type. */
    static Object fromBytes(byte[] b, String type, String where) {
        String s = new String(b, StandardCharsets.UTF_8);
        switch (type) {
            case "str":
            case "bytes":
            case "time":
            case "comment":
                return s;
            case "int":
                try {
                    BigInteger i = new BigInteger(s);
                    return i.bitLength() < 64 ? (Object) i.longValue() : i;
                } catch (NumberFormatException e) {
                    throw SopsException.failed(where + ": decrypted value of type int is not an integer");
                }
            case "float":
                try {
                    return Double.valueOf(s.replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
                } catch (NumberFormatException e) {
                    throw SopsException.failed(where + ": decrypted value of type float is not a number");
                }
            case "bool":
                switch (s) {
                    case "1": case "t": case "T": case "TRUE": case "true": case "True":
                        return Boolean.TRUE;
                    case "0": case "f": case "F": case "FALSE": case "false": case "False":
                        return Boolean.FALSE;
                    default:
                        throw SopsException.failed(where + ": decrypted value of type bool is not a boolean");
                }
            default:
                throw SopsException.invalid(where + ": unknown SOPS value type '" + type + "'");
        }
    }
}
