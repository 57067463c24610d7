package dev.kubani.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Problem;
import dev.kubani.tailscale.StatusParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fuzz targets. In the normal build they run in regression mode over the inputs in
 * src/test/resources/dev/kubani/fuzz/ParserFuzzTestInputs/; run with JAZZER_FUZZ=1 to fuzz.
 * The contract: bad input may only ever produce the project's own error, never a crash.
 */
class ParserFuzzTest {
    private static final Path F = Path.of("hosts.yml");

    @FuzzTest(maxDuration = "30s")
    void inventoryYaml(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            Inventory inv = Inventory.fromTexts(F, Map.of(F, text));
            List<Problem> problems = inv.validate(false);
            for (Problem p : problems) {
                if (p.toString().contains("\n")) {
                    throw new AssertionError("a problem must be one line: " + p);
                }
            }
            inv.nodes();
            inv.effectiveVars("all");
            // an edit of a valid document must give a document that still parses
            if (problems.stream().noneMatch(Problem::isError) && inv.hostsDoc().root() != null) {
                String out = inv.hostsDoc().set(List.of("all", "vars", "fuzz"), "v");
                Inventory.fromTexts(F, Map.of(F, out));
            }
        } catch (KubaniException e) {
            if (e.getMessage().contains("\n")) {
                throw new AssertionError("an error must be one line: " + e.getMessage());
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void tailscaleStatus(byte[] data) {
        try {
            StatusParser.parse(new String(data, StandardCharsets.UTF_8)).machines();
        } catch (StatusParser.BadStatus e) {
            // expected for bad input
        }
    }
}
