package dev.kubani.cli.config;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Term;
import dev.kubani.inventory.InventoryEditor;
import dev.kubani.inventory.InventoryStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cluster-mgr config-set KEY VALUE}: validated, atomic change of an Ansible variable (Property 21). */
@Command(name = "config-set", description = {"Set a configuration variable in the inventory.",
    "Dotted keys set nested values (flux.namespace). Known variables are checked before writing."})
public final class ConfigSetCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "all",
            description = "all (default), control_plane, workers, or a host name.")
    String scope;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "str, int, bool or json (default: the variable's known type, else str).")
    String type;

    @Override
    protected int execute() {
        List<String> k = ConfigValue.key(key);
        Object v = ConfigValue.convert(value, type, k);
        Path inv = root().inventoryPath();
        InventoryStore.Result r = InventoryStore.update(inv, true, i -> InventoryEditor.setVar(i, scope, k, v));
        boolean secret = ConfigValue.secret(k);
        String where = r.summary().isEmpty() ? "" : r.summary().get(0).replaceFirst(".* in ", "");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("key", key);
        data.put("value", secret ? "(hidden)" : v);
        data.put("scope", scope);
        data.put("file", where);
        if (!Printer.structured(root(), data)) {
            Term t = term();
            t.info(t.green("set ") + t.bold(key) + " = " + (secret ? "(hidden)" : Printer.json(v).replace("\n", "").replaceAll("\\s+", " "))
                    + " for " + scope + " in " + where);
        }
        return 0;
    }
}
