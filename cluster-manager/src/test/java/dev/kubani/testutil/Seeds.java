package dev.kubani.testutil;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Seeded property runs without a framework: each case gets its own seed, derived from a base
 * seed (KUBANI_SEED or -Dkubani.seed, else fixed), and a failure names the seed that
 * reproduces it.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long base() {
        String s = System.getProperty("kubani.seed", System.getenv("KUBANI_SEED"));
        return s == null ? 0x6B7562616E69L : Long.parseLong(s);
    }

    /** Runs {@code body} for {@code cases} seeds; rethrows the first failure with its seed. */
    public static void forAll(String property, int cases, Consumer<Random> body) {
        long base = base();
        for (int i = 0; i < cases; i++) {
            long seed = base + i * 0x9E3779B97F4A7C15L;
            try {
                body.accept(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(property + ": case " + i + " failed; reproduce with -Dkubani.seed=" + base
                        + " (case seed " + seed + "): " + e.getMessage(), e);
            }
        }
    }
}
