package dev.kubani.inventory;

import java.nio.file.Path;
import java.util.List;

/**
 * A writer process for the crash and concurrency tests. "counter" sets all.vars counter = 1, 2, ...
 * forever, printing "committed N" after each write; "hosts PREFIX N" adds N workers.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path hosts = Path.of(args[0]);
        if (args[1].equals("counter")) {
            for (long i = 1; ; i++) {
                long v = i;
                InventoryStore.update(hosts, false, inv -> InventoryEditor.setVar(inv, "all", List.of("counter"), v));
                System.out.println("committed " + i);
                System.out.flush();
            }
        }
        String prefix = args[2];
        int n = Integer.parseInt(args[3]);
        int base = Integer.parseInt(args[4]);
        for (int i = 0; i < n; i++) {
            String name = prefix + "-" + i;
            String ip = "100.65." + base + "." + (i + 1);
            InventoryStore.update(hosts, false, inv -> InventoryEditor.addNode(inv,
                    new Node(name, null, ip, Role.WORKER, null, null, false, null, null)));
        }
    }
}
