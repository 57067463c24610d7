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
 * the classes the everyday commands use, so that whichever command runs first after a build, all
 * of them start from the archive. It runs the real command lines the start-up benchmarks time
 * ({@code discover} on a tailnet of a few thousand machines, {@code add-node} on an inventory of
 * a few hundred hosts, {@code -o json|yaml}, {@code validate}, {@code config-get|set}) through
 * {@link Cli#run}, then the models of every command, tables, JSON and YAML output and the
 * Kubernetes client. Works in memory and in a temp directory it deletes; prints nothing.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        // "short": the class set of the short commands only (bin/kubani-launch.sh keeps one archive per set).
        boolean short_ = args.length > 0 && "short".equals(args[0]);
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        Path dir = Files.createTempDirectory("kubani-cds-");
        CliEnv env = new CliEnv(Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString()), dir, sink, sink,
                InputStream.nullInputStream(), false);
        Class.forName("dev.kubani.cli.Main", false, CdsTraining.class.getClassLoader());
        try {
            Path hosts = dir.resolve("hosts.yml");
            Files.writeString(hosts, resource("/dev/kubani/demo/inventory/hosts.yml.example") + sampleHosts(300));
            Path status = dir.resolve("status.json");
            Files.writeString(status, sampleStatus(3000));
            String inv = hosts.toString();
            String st = status.toString();
            // The command lines of the start-up benchmarks first (bench/cli/run.sh), then their variants.
            Cli.run(env, "discover", "--status-file", st, "--inventory", inv);
            Cli.run(env, "add-node", "cds-a", "100.100.100.1", "--role", "worker", "--inventory", inv);
            Cli.run(env, "add-node", "cds-b", "100.100.100.2", "--role", "control-plane", "--gpu", "--reserved-cpu", "1",
                    "--reserved-memory", "1Gi", "--labels", "workstation=true", "--taints", "gpu=true:NoSchedule",
                    "--inventory", inv);
            Cli.run(env, "add-node", "cds-a", "100.100.100.1", "--role", "worker", "--inventory", inv);
            Cli.run(env, "add-node", "cds-c", "--bogus");
            Cli.run(env, "discover", "-o", "json", "--status-file", st, "--inventory", inv);
            Cli.run(env, "discover", "-o", "yaml", "--online-only", "--filter", "machine-1*", "--status-file", st,
                    "--inventory", inv);
            Cli.run(env, "discover", "--no-cluster-status", "--status-file", st);
            Cli.run(env, "validate", "--inventory", inv);
            Cli.run(env, "config-get", "k3s_version", "--inventory", inv);
            Cli.run(env, "config-set", "cluster_name", "cds", "--inventory", inv);

            var cl = Cli.build(env);
            cl.getUsageMessage();
            for (var sub : cl.getSubcommands().values()) {
                sub.getUsageMessage();
                for (var sub2 : sub.getSubcommands().values()) {
                    sub2.getUsageMessage();
                }
            }
            Inventory loaded = Inventory.load(hosts);
            loaded.validate(false);
            InventoryStore.update(hosts, false, i -> InventoryEditor.addNode(i,
                    new Node("cds-training", null, "100.100.100.9", Role.WORKER, "1", "1Gi", true,
                            Map.of("workstation", "true"), List.of())));
            TailnetStatus ts = StatusParser.parse(resource("/dev/kubani/demo/tailnet-status.json"));
            Table t = new Table("NAME", "IP", "CLUSTER");
            for (Discovery.Machine m : Discovery.discover(ts, Inventory.load(hosts), false, "*")) {
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
            if (!short_) {
                status(dir, hosts, sink);
                dashboard();
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Workers appended to the sample inventory (its last group is workers' hosts). */
    private static String sampleHosts(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            String ip = "100.65." + (i / 250) + "." + (i % 250 + 1);
            sb.append("        # worker ").append(i).append("\n        cds-w-").append(i).append(":\n          ansible_host: ")
                    .append(ip).append("\n          tailscale_ip: ").append(ip).append("\n          reserved_cpu: \"2\"\n")
                    .append("          node_labels:\n            workstation: \"true\"\n");
        }
        return sb.toString();
    }

    /** A tailnet of {@code n} peers shaped like 'tailscale status --json' (online and offline, tags, IPv6). */
    private static String sampleStatus(int n) {
        StringBuilder sb = new StringBuilder("{\"Version\":\"1.76.6\",\"BackendState\":\"Running\",\"Self\":"
                + "{\"HostName\":\"mgmt\",\"TailscaleIPs\":[\"100.100.100.100\"],\"Online\":true},"
                + "\"MagicDNSSuffix\":\"cds.ts.net\",\"Peer\":{");
        for (int i = 0; i < n; i++) {
            String key = "nodekey:" + Integer.toHexString(0x10000 + i);
            sb.append(i == 0 ? "" : ",").append('"').append(key).append("\":{\"ID\":\"n").append(i)
                    .append("CNTRL\",\"PublicKey\":\"").append(key).append("\",\"HostName\":\"machine-").append(i)
                    .append("\",\"DNSName\":\"machine-").append(i).append(".cds.ts.net.\",\"OS\":\"linux\",\"UserID\":")
                    .append(9007199254740993L + i).append(",\"TailscaleIPs\":[\"100.").append(64 + i / 65536).append('.')
                    .append(i / 256 % 256).append('.').append(i % 256).append("\",\"fd7a:115c:a1e0::").append(Integer.toHexString(i))
                    .append("\"],\"Tags\":").append(i % 2 == 0 ? "[\"tag:k8s\"]" : "null").append(",\"Online\":")
                    .append(i % 3 != 0).append(",\"LastSeen\":\"2026-11-01T10:00:00Z\",\"Active\":false,\"RxBytes\":123,")
                    .append("\"Capabilities\":[\"https://tailscale.com/cap/ssh\"],\"Created\":\"2026-01-01T00:00:00.5Z\"}");
        }
        return sb.append("}}").toString();
    }

    /**
     * 'status --pods' (table and JSON) against a small API server of our own on 127.0.0.1: the
     * kubeconfig reader, the HTTP client, the list decoders and the pod table. Skipped quietly
     * when no loopback port can be opened.
     */
    private static void status(Path dir, Path hosts, PrintWriter sink) throws IOException {
        com.sun.net.httpserver.HttpServer server;
        try {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                    java.net.InetAddress.getLoopbackAddress(), 0), 8);
        } catch (IOException e) {
            return;
        }
        StringBuilder pods = new StringBuilder("{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[");
        for (int i = 0; i < 300; i++) {
            pods.append(i > 0 ? "," : "").append("{\"metadata\":{\"name\":\"p").append(i).append("\",\"namespace\":\"ns")
                    .append(i % 3).append("\",\"creationTimestamp\":\"2026-11-23T08:00:00Z\",\"labels\":{\"app\":\"a\"}},")
                    .append("\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\"}]},\"status\":{\"phase\":\"Running\",")
                    .append("\"containerStatuses\":[{\"ready\":true,\"restartCount\":1,\"state\":{\"running\":{}}}]}}");
        }
        pods.append("]}");
        String nodes = "{\"kind\":\"NodeList\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[{\"metadata\":{\"name\":"
                + "\"n1\",\"labels\":{\"node-role.kubernetes.io/control-plane\":\"true\"},\"creationTimestamp\":"
                + "\"2026-10-01T09:00:00Z\"},\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"100.64.0.1\"}],"
                + "\"allocatable\":{\"cpu\":\"8\",\"memory\":\"16Gi\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
                + "\"lastHeartbeatTime\":\"2026-11-23T10:00:00Z\"}],\"nodeInfo\":{\"kubeletVersion\":\"v1.31.4+k3s1\"}}}]}";
        Map<String, String> bodies = Map.of("/version", "{\"gitVersion\":\"v1.31.4+k3s1\"}", "/api/v1/nodes", nodes,
                "/api/v1/pods", pods.toString());
        server.createContext("/", ex -> {
            String body = bodies.get(ex.getRequestURI().getPath());
            byte[] b = (body == null ? "{\"kind\":\"Status\",\"code\":404,\"message\":\"not found\"}" : body)
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(body == null ? 404 : 200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            Path kc = dir.resolve("kubeconfig");
            Files.writeString(kc, "apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: http://127.0.0.1:"
                    + server.getAddress().getPort() + "\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: t\n"
                    + "current-context: t\nusers:\n- name: t\n  user:\n    token: training\n");
            CliEnv env = new CliEnv(Map.of("KUBECONFIG", kc.toString(), "HOME", dir.toString()), dir, sink, sink,
                    InputStream.nullInputStream(), false);
            Cli.run(env, "--inventory", hosts.toString(), "status", "--pods");
            Cli.run(env, "--inventory", hosts.toString(), "-o", "json", "status", "--pods");
        } finally {
            server.stop(0);
        }
    }

    /**
     * The dashboard (bin/cluster-tui shares this archive): a few frames of the built-in sample
     * cluster drawn into an off-screen buffer, which loads TamboUI's buffer, layout and style
     * classes and our views and renderers. No terminal is touched.
     */
    private static void dashboard() throws InterruptedException {
        dev.kubani.tui.model.ClusterModel model = new dev.kubani.tui.model.ClusterModel(
                new dev.kubani.tui.dao.SampleSource(), java.time.Duration.ofSeconds(5));
        try {
            dev.kubani.tui.Dashboard d = new dev.kubani.tui.Dashboard(model);
            model.start();
            dev.tamboui.buffer.Buffer b = dev.tamboui.buffer.Buffer.empty(new dev.tamboui.layout.Rect(0, 0, 160, 48));
            for (int i = 0; i < 20 && d.snapshot() == null; i++) {
                d.render(dev.tamboui.terminal.Frame.forTesting(b));
                Thread.sleep(25);
            }
            d.render(dev.tamboui.terminal.Frame.forTesting(b));
        } finally {
            model.close();
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
