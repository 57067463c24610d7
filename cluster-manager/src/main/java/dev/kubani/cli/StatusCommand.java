package dev.kubani.cli;

import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Node;
import dev.kubani.kube.ClusterReader;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.FluxRow;
import dev.kubani.kube.KubeApi;
import dev.kubani.kube.KubeConnect;
import dev.kubani.kube.PodRow;
import dev.kubani.kube.SampleCluster;
import dev.kubani.status.StatusReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cluster-mgr status}: nodes, drift against the inventory, Flux, and optionally pods, read from the API. */
@Command(name = "status", description = {
    "Show the cluster: nodes (role, Ready, CPU and memory use, Tailscale IP, kubelet, age, heartbeat),",
    "drift between the inventory and the cluster, Flux readiness, and with --pods the pods."})
public final class StatusCommand extends BaseCommand {

    @Option(names = "--pods", description = "Also list pods by namespace: ready, status, restarts, node, age.")
    boolean pods;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only pods in this namespace (implies --pods).")
    String namespace;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Give up on an unreachable API server after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--demo", description = "Show the built-in SAMPLE cluster instead of a real one (no cluster needed).")
    boolean demo;

    @Override
    protected int execute() {
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw KubaniException.invalidInput("--timeout " + timeoutSeconds + ": use a whole number of seconds from 1 to 600");
        }
        if (namespace != null) {
            if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw KubaniException.invalidInput("--namespace '" + namespace
                        + "' is not a valid namespace name (lower-case letters, digits and '-', at most 63)");
            }
            pods = true;
        }
        List<Node> inventoryNodes = null;
        String clusterName = null;
        Path inv = root().inventoryPath();
        if (Files.exists(inv) || root().inventory != null) {
            Inventory i = Inventory.load(inv);
            inventoryNodes = i.nodes();
            clusterName = i.clusterConfig().clusterName();
        } else if (!demo) {
            term().warn("no inventory at " + inv + ": drift is not checked (pass --inventory FILE)");
        }
        long t0 = System.nanoTime();
        ClusterSnapshot snap = demo ? sample() : read(clusterName);
        long t1 = System.nanoTime();
        StatusReport report = new StatusReport(snap, inventoryNodes, Instant.now());
        // The data tree is built only for --output json|yaml: at 150,000 pods it is not free.
        if (root().outputFormat() == OutputFormat.TABLE || !Printer.structured(root(), report.toData(pods))) {
            print(report);
        }
        if (root().verbosity() >= 2) {
            term().err().println("status: read " + snap.nodes().size() + " nodes, " + snap.pods().size() + " pods in "
                    + (t1 - t0) / 1_000_000 + " ms; printed in " + (System.nanoTime() - t1) / 1_000_000 + " ms");
            term().err().flush();
        }
        return ExitCode.OK;
    }

    private ClusterSnapshot sample() {
        ClusterSnapshot s = new SampleCluster(System.currentTimeMillis()).snapshot(System.currentTimeMillis());
        if (!pods) {
            return s;
        }
        List<PodRow> p = s.pods().stream().filter(x -> namespace == null || namespace.equals(x.namespace()))
                .sorted(java.util.Comparator.comparing(PodRow::namespace).thenComparing(PodRow::name)).toList();
        return new ClusterSnapshot(s.meta(), s.nodes(), p, s.services(), s.events(), s.metrics(), s.metricsAvailable(), s.flux());
    }

    private ClusterSnapshot read(String clusterName) {
        KubeConnect.Target target = KubeConnect.target(root().env().vars(), clusterName);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        try (KubernetesClient client = KubeConnect.client(target, timeout)) {
            ClusterReader reader = new ClusterReader(new KubeApi(client, timeout));
            return reader.read(clusterName == null ? target.context() : clusterName, target.context(),
                    new ClusterReader.Options(pods, namespace, false, false));
        } catch (KubaniException e) {
            throw e;
        } catch (RuntimeException e) {
            throw KubeConnect.explain(e, target);
        }
    }

    private void print(StatusReport r) {
        Term t = term();
        PrintWriter out = t.out();
        ClusterSnapshot s = r.snapshot();
        ClusterSnapshot.Meta m = s.meta();
        if (m.sample()) {
            out.println(t.bold(t.yellow("SAMPLE DATA")) + " — a built-in example cluster, not a real one");
        }
        out.println(t.bold("Cluster ") + m.cluster() + "   " + t.bold("API ") + m.server() + "   " + t.bold("context ")
                + m.context() + "   " + t.bold("Kubernetes ") + m.version());
        long ready = s.readyNodes();
        String counts = ready + "/" + s.nodes().size() + " nodes Ready";
        out.println(ready == s.nodes().size() && !s.nodes().isEmpty() ? t.green(counts) : t.yellow(counts)
                + (s.metricsAvailable() ? "" : t.dim("   (metrics-server absent: CPU and memory show N/A)")));
        out.println();
        Table nodes = new Table("NAME", "ROLE", "STATUS", "CPU", "MEMORY", "TAILSCALE IP", "KUBELET", "AGE", "HEARTBEAT");
        List<StatusReport.NodeLine> lines = r.nodes();
        for (StatusReport.NodeLine l : lines) {
            String ip = l.ipProblem() == null ? l.ip() : t.yellow(l.ip() + " (!)");
            nodes.row(l.name(), l.role(), colour(t, l.status()), l.cpu(), l.memory(), ip, l.kubelet(), l.age(), l.heartbeat());
        }
        if (lines.isEmpty()) {
            out.println("no nodes have registered with the API server yet");
        } else {
            nodes.print(out, t);
        }
        for (StatusReport.NodeLine l : lines) {
            if (l.ipProblem() != null) {
                out.println(t.yellow("(!) ") + l.name() + ": InternalIP " + l.ip() + " — " + l.ipProblem());
            }
        }
        out.println();
        if (!r.hasInventory()) {
            out.println(t.bold("Drift: ") + t.dim("not checked (no inventory)"));
        } else {
            StatusReport.Drift d = r.drift();
            if (d.none()) {
                out.println(t.bold("Drift: ") + t.green("none") + " — the cluster's nodes match the inventory");
            } else {
                out.println(t.bold("Drift:"));
                for (String n : d.notInCluster()) {
                    out.println("  " + t.yellow(n) + ": in the inventory, not in the cluster (run 'cluster-mgr provision --limit "
                            + n + "')");
                }
                for (String n : d.notInInventory()) {
                    out.println("  " + t.yellow(n) + ": in the cluster, not in the inventory (add it with 'cluster-mgr add-node "
                            + n + "' or remove it with 'cluster-mgr remove-node " + n + "')");
                }
            }
        }
        out.println();
        if (!s.flux().installed()) {
            out.println(t.bold("Flux: ") + "not installed");
        } else if (s.flux().rows().isEmpty()) {
            out.println(t.bold("Flux: ") + "installed, no GitRepository or Kustomization yet");
        } else {
            out.println(t.bold("Flux:"));
            Table f = new Table("KIND", "NAMESPACE", "NAME", "READY", "REVISION", "MESSAGE");
            for (FluxRow x : s.flux().rows()) {
                f.row(x.kind(), x.namespace(), x.name(), x.ready().startsWith("True") ? t.green(x.ready()) : t.red(x.ready()),
                        x.revision(), x.message().length() > 60 ? x.message().substring(0, 57) + "..." : x.message());
            }
            f.print(out, t);
        }
        if (pods) {
            out.println();
            printPods(r, out, t);
        }
        out.flush();
    }

    /** The pod table, written in one go: at 150,000 pods a line-by-line flush would dominate. */
    private void printPods(StatusReport r, PrintWriter out, Term t) {
        List<PodRow> ps = r.snapshot().pods();
        if (ps.isEmpty()) {
            out.println(namespace == null ? "no pods" : "no pods in namespace " + namespace);
            return;
        }
        String[] h = {"NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "NODE", "AGE"};
        int[] w = new int[h.length];
        for (int i = 0; i < h.length; i++) {
            w[i] = h[i].length();
        }
        long now = r.nowSeconds();
        for (int k = 0; k < ps.size(); k++) {
            PodRow p = ps.get(k);
            w[0] = Math.max(w[0], p.namespace().length());
            w[1] = Math.max(w[1], p.name().length());
            w[3] = Math.max(w[3], p.status().length());
            w[5] = Math.max(w[5], p.node() == null ? 1 : p.node().length());
        }
        w[2] = Math.max(w[2], 5);
        // One pass, no per-row strings: cells go straight into a big buffer, written out every 1 MiB.
        StringBuilder sb = new StringBuilder(1 << 21);
        for (int i = 0; i < h.length; i++) {
            sb.append(t.bold(h[i]));
            if (i < h.length - 1) {
                pad(sb, w[i] - h[i].length() + 2);
            }
        }
        sb.append('\n');
        java.util.Map<String, String> coloured = new java.util.HashMap<>();
        for (int k = 0; k < ps.size(); k++) {
            PodRow p = ps.get(k);
            cell(sb, p.namespace(), w[0]);
            cell(sb, p.name(), w[1]);
            int at = sb.length();
            sb.append(p.ready()).append('/').append(p.containers());
            pad(sb, w[2] - (sb.length() - at) + 2);
            String st = p.status();
            sb.append(coloured.computeIfAbsent(st, x -> colour(t, x)));
            pad(sb, w[3] - st.length() + 2);
            at = sb.length();
            sb.append(p.restarts());
            pad(sb, w[4] - (sb.length() - at) + 2);
            cell(sb, p.node() == null ? "-" : p.node(), w[5]);
            age(sb, p.created(), now);
            sb.append('\n');
            if (sb.length() > (1 << 20)) {
                out.append(sb);
                sb.setLength(0);
            }
        }
        out.append(sb);
    }

    /** The pod's age as {@link dev.kubani.util.Times#compact} prints it, without a Duration or a String. */
    static void age(StringBuilder sb, long created, long now) {
        if (created == 0) {
            sb.append('-');
            return;
        }
        long s = Math.max(0, now - created);
        if (s < 120) {
            sb.append(s).append('s');
        } else if (s < 3600 * 2) {
            sb.append(s / 60).append('m');
        } else if (s < 86400 * 2) {
            sb.append(s / 3600).append('h');
        } else {
            sb.append(s / 86400).append('d');
        }
    }

    private static void cell(StringBuilder sb, String s, int w) {
        sb.append(s);
        pad(sb, w - s.length() + 2);
    }

    private static void pad(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }

    static String colour(Term t, String status) {
        if (status.startsWith("Ready") || status.equals("Running") || status.equals("Completed") || status.equals("Succeeded")) {
            return t.green(status);
        }
        if (status.startsWith("NotReady") || status.contains("Err") || status.contains("BackOff") || status.equals("Failed")) {
            return t.red(status);
        }
        return t.yellow(status);
    }
}
