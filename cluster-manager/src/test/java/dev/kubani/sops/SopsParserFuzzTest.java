package dev.kubani.sops;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kubani.core.KubaniException;
import java.util.List;

/**
 * Fuzz target for the SOPS readers: any input either decrypts or fails with a KubaniException
 * (one line for people), never another exception. Under plain JUnit it runs its seeds
 * (regression mode); JAZZER_FUZZ=1 fuzzes.
 */
class SopsParserFuzzTest {
    private static final List<String> IDS = List.of(dev.kubani.age.Age.generate().secretKey());

    @FuzzTest(maxDuration = "20s")
    void anyInputFailsCleanly(byte[] data) {
        if (data.length == 0) {
            return;
        }
        String text = new String(data, 1, data.length - 1, java.nio.charset.StandardCharsets.UTF_8);
        SopsFormat f = SopsFormat.values()[Math.floorMod(data[0], SopsFormat.values().length)];
        try {
            Sops.decrypt(text, f, "fuzz", IDS);
        } catch (KubaniException expected) {
            // a clear refusal is the right answer
        }
        try {
            Sops.parsePlain(text, f, "fuzz");
        } catch (KubaniException expected) {
            // same
        }
    }
}
