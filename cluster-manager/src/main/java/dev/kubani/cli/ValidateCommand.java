package dev.kubani.cli;

import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cluster-mgr validate}: every problem in the inventory and its group_vars, not only the first. */
@Command(name = "validate", description = "Check the inventory and group_vars; list every problem found.")
public final class ValidateCommand extends BaseCommand {
    @Option(names = "--allow-non-tailscale", description = "Accept node IPs outside the tailnet ranges.")
    boolean allowNonTailscale;

    @Override
    protected int execute() {
        Path hosts = root().inventoryPath();
        List<Problem> problems = new ArrayList<>();
        Inventory inv = null;
        try {
            inv = Inventory.load(hosts);
        } catch (KubaniException e) {
            if (e.exitCode() != ExitCode.INVALID_INPUT || !java.nio.file.Files.isRegularFile(hosts)) {
                throw e;
            }
            problems.addAll(Syntax.check(hosts));
            if (problems.isEmpty()) {
                throw e;
            }
        }
        if (inv != null) {
            problems.addAll(inv.validate(allowNonTailscale));
        }
        long errors = problems.stream().filter(Problem::isError).count();
        long warnings = problems.size() - errors;
        List<Map<String, Object>> data = new ArrayList<>();
        for (Problem p : problems) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT));
            m.put("file", String.valueOf(p.file()));
            m.put("line", p.line());
            m.put("field", p.field());
            m.put("message", p.message());
            data.add(m);
        }
        if (!Printer.structured(root(), data)) {
            Term t = term();
            for (Problem p : problems) {
                String tag = p.isError() ? t.red("error") : t.yellow("warning");
                t.info(tag + ": " + p);
            }
            int nodes = inv == null ? 0 : inv.nodes().size();
            if (errors == 0) {
                t.info(t.green("✓ ") + hosts + ": " + nodes + " node" + (nodes == 1 ? "" : "s") + ", no errors"
                        + (warnings > 0 ? ", " + warnings + " warning" + (warnings == 1 ? "" : "s") : ""));
            } else {
                t.info(errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning"
                        + (warnings == 1 ? "" : "s"));
            }
        }
        return errors == 0 ? ExitCode.OK : ExitCode.INVALID_INPUT;
    }

    /** Parses each inventory file on its own, so every file's syntax error is reported. */
    static final class Syntax {
        private Syntax() {
        }

        static List<Problem> check(Path hosts) {
            List<Problem> out = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            files.add(hosts);
            files.addAll(Inventory.varFiles(hosts));
            for (Path f : files) {
                try {
                    dev.kubani.inventory.YamlDoc.parse(f, java.nio.file.Files.readString(f));
                } catch (KubaniException e) {
                    out.add(Problem.error(null, 0, null, e.getMessage()));
                } catch (java.io.IOException e) {
                    out.add(Problem.error(f, 0, null, "cannot read: " + e.getMessage()));
                }
            }
            return out;
        }
    }
}
