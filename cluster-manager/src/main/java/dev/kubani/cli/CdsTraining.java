package dev.kubani.cli;

import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.InventoryEditor;
import dev.kubani.inventory.InventoryStore;
import dev.kubani.inventory.Node;
import dev.kubani.inventory.Role;
import dev.kubani.tailscale.Discovery;
import dev.kubani.tailscale.StatusParser;
import dev.kubani.tailscale.TailnetStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run for the launcher's class-data-sharing archive (bin/kubani-launch.sh): loads
 * the classes the everyday commands use — every command's model, the YAML editor on the sample
 * inventory, the status parser on the sample tailnet, tables, JSON and YAML output, the
 * Kubernetes client — so that whichever command runs first after a build, all of them start
 * from the archive. Works in memory and in a temp directory it deletes; prints nothing.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        CliEnv env = new CliEnv(Map.of(), Path.of("").toAbsolutePath(), sink, sink, InputStream.nullInputStream(), false);
        var cl = Cli.build(env);
        cl.getUsageMessage();
        for (var sub : cl.getSubcommands().values()) {
            sub.getUsageMessage();
            for (var sub2 : sub.getSubcommands().values()) {
                sub2.getUsageMessage();
            }
        }
        Path dir = Files.createTempDirectory("kubani-cds-");
        try {
            Path hosts = dir.resolve("hosts.yml");
            Files.writeString(hosts, resource("/dev/kubani/demo/inventory/hosts.yml.example"));
            Inventory inv = Inventory.load(hosts);
            inv.validate(false);
            InventoryStore.update(hosts, false, i -> InventoryEditor.addNode(i,
                    new Node("cds-training", null, "100.100.100.1", Role.WORKER, "1", "1Gi", true,
                            Map.of("workstation", "true"), List.of())));
            TailnetStatus st = StatusParser.parse(resource("/dev/kubani/demo/tailnet-status.json"));
            Table t = new Table("NAME", "IP", "CLUSTER");
            for (Discovery.Machine m : Discovery.discover(st, Inventory.load(hosts), false, "*")) {
                t.row(m.peer().name(), m.peer().ipv4(), m.membership());
            }
            t.print(sink, new Term(sink, sink, true, false));
            Printer.json(Map.of("a", List.of(1, "b")));
            Printer.yaml(Map.of("a", List.of(1, "b")));
            try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("https://127.0.0.1:1")
                            .withNamespace("default").build()).build()) {
                client.nodes();
                client.pods().inAnyNamespace();
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CdsTraining.class.getResourceAsStream(name)) {
            if (in == null) {
                return "{}";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
