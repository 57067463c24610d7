package dev.kubani.cli.secrets;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Table;
import dev.kubani.cli.Term;
import dev.kubani.secrets.SecretsService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Base of create and rotate: prints what was written (names, files, key names; never values). */
abstract class OutcomeCommand extends BaseCommand {
    protected void print(List<SecretsService.Outcome> res, List<String> notes) {
        List<Object> rows = new ArrayList<>();
        for (SecretsService.Outcome o : res) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("secret", o.secret());
            m.put("namespace", o.namespace());
            m.put("file", o.file());
            m.put("status", o.status());
            m.put("keys", o.keys());
            m.put("kustomizationUpdated", o.kustomizationUpdated());
            rows.add(m);
        }
        if (Printer.structured(root(), rows)) {
            return;
        }
        Term term = term();
        Table t = new Table("SECRET", "NAMESPACE", "FILE", "STATUS", "KEYS");
        for (SecretsService.Outcome o : res) {
            t.row(o.secret(), o.namespace(), o.file(), o.status(), o.keys().isEmpty() ? "-" : String.join(",", o.keys()));
        }
        t.print(term.out(), term);
        term.out().println();
        for (String n : notes) {
            term.out().println(n);
        }
        term.out().flush();
    }
}
