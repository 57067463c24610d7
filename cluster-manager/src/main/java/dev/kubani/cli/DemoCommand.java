package dev.kubani.cli;

import dev.kubani.core.KubaniException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cluster-mgr demo}: runs the real commands on bundled SAMPLE data (a made-up tailnet
 * status and the example inventory, copied to a scratch directory), so a new user can see what
 * Kubani does without a cluster.
 */
@Command(name = "demo", description = "Try cluster-mgr on sample data: a made-up tailnet and the example inventory.")
public final class DemoCommand extends BaseCommand {
    private static final String RES = "/dev/kubani/demo/";

    @Option(names = "--keep", description = "Keep the scratch copy of the sample inventory and print where it is.")
    boolean keep;

    @Option(names = "--no-dashboard", description = "Do not open the dashboard at the end (it opens only on a terminal).")
    boolean noDashboard;

    @Override
    protected int execute() throws IOException {
        Term t = term();
        Path scratch = Files.createTempDirectory("kubani-demo-");
        try {
            Path inv = scratch.resolve("inventory/hosts.yml");
            Files.createDirectories(inv.getParent().resolve("group_vars"));
            copy("inventory/hosts.yml.example", inv, true);
            for (String g : List.of("all", "control_plane", "workers")) {
                copy("inventory/group_vars/" + g + ".yml", inv.getParent().resolve("group_vars/" + g + ".yml"), false);
            }
            Path status = scratch.resolve("tailnet-status.json");
            copy("tailnet-status.json", status, true);

            banner(t, "Kubani demo — SAMPLE DATA: a made-up tailnet and the example inventory ("
                    + "hosts.yml.example), in a scratch copy. Nothing on this machine or any cluster is touched.");
            int rc = 0;
            rc |= step(t, "See which machines are on the tailnet and which are already cluster members",
                    List.of("discover"), inv, status);
            rc |= step(t, "Add the Raspberry Pi as a worker; its Tailscale IP comes from discovery",
                    List.of("add-node", "rpi-kitchen", "--role", "worker", "--reserved-memory", "512Mi",
                            "--labels", "hardware=raspberry-pi"), inv, status);
            rc |= step(t, "Bad input is refused with one clear line, and the file stays as it was",
                    List.of("add-node", "laptop-2", "100.300.0.9", "--role", "worker"), inv, status);
            rc |= step(t, "Check the whole inventory", List.of("validate"), inv, status);
            rc |= step(t, "Read and change cluster settings",
                    List.of("config-get", "cluster_name"), inv, status);
            rc |= step(t, null, List.of("config-set", "k3s_version", "v1.31.5+k3s1"), inv, status);
            rc |= step(t, null, List.of("config-get", "k3s_version"), inv, status);
            rc |= step(t, "Discovery again: rpi-kitchen is now a worker", List.of("discover", "--online-only"), inv, status);
            rc |= step(t, "Read the cluster: nodes, usage, Tailscale IPs, drift against the inventory, Flux "
                    + "(a built-in SAMPLE cluster)", List.of("status", "--demo"), inv, status);
            banner(t, "End of the SAMPLE DATA demo. Next: cp ansible/inventory/hosts.yml.example "
                    + "ansible/inventory/hosts.yml, then 'cluster-mgr discover' on your own tailnet.");
            if (keep) {
                t.info("the sample inventory is kept at " + inv);
            }
            if (rc == 0 && root().env().tty() && !noDashboard) {
                t.info("");
                t.info(t.cyan("# The live dashboard on the SAMPLE cluster (q quits, ? shows the keys)"));
                t.info(t.bold("$ cluster-tui --demo"));
                rc |= Cli.run(root().env(), "tui", "--demo");
            }
            return rc == 0 ? 0 : 1;
        } finally {
            if (!keep) {
                deleteTree(scratch);
            }
        }
    }

    private void banner(Term t, String text) {
        t.info("");
        t.info(t.bold(t.yellow("▌ " + text)));
    }

    /** Runs one real command in-process against the scratch copy. Returns 0 if it behaved as shown. */
    private int step(Term t, String title, List<String> args, Path inv, Path status) {
        if (title != null) {
            t.info("");
            t.info(t.cyan("# " + title));
        }
        t.info(t.bold("$ cluster-mgr " + String.join(" ", quote(args))) + t.dim("   [sample data]"));
        List<String> full = new ArrayList<>(args);
        full.add("--inventory");
        full.add(inv.toString());
        if (args.get(0).equals("discover") || args.get(0).equals("add-node")) {
            full.add("--status-file");
            full.add(status.toString());
        }
        if (!t.color()) {
            full.add("--no-color");
        }
        CliEnv env = root().env();
        java.util.Map<String, String> vars = new java.util.HashMap<>(env.vars());
        vars.remove("KUBANI_INVENTORY");
        CliEnv child = new CliEnv(vars, env.cwd(), env.out(), env.out(), InputStream.nullInputStream(), env.tty());
        int code = Cli.run(child, full.toArray(String[]::new));
        boolean expectedFailure = args.contains("100.300.0.9");
        if (expectedFailure) {
            t.info(t.dim("(exit code " + code + ": invalid input, as expected)"));
            return code == 2 ? 0 : 1;
        }
        return code;
    }

    private static List<String> quote(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.matches("[A-Za-z0-9_./:=,+-]+") ? a : "\"" + a + "\"");
        }
        return out;
    }

    private static void copy(String res, Path to, boolean required) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(RES + res)) {
            if (in == null) {
                if (required) {
                    throw KubaniException.unexpectedState("sample data " + res + " is missing from the jar; rebuild it "
                            + "with 'mvn -q -DskipTests package'");
                }
                return;
            }
            Files.copy(in, to);
        }
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temp directory
        }
    }
}
