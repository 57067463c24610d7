package dev.kubani.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.Fixtures;
import dev.kubani.testutil.Seeds;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The start-up fast path of discover and add-node ({@link FastArgs}) must set exactly what
 * picocli sets, and decline whatever it does not parse the same way.
 */
class FastArgsTest {
    /** Options the fast path leaves to picocli on purpose (the command line is then parsed by picocli). */
    private static final Map<String, Set<String>> PICOCLI_ONLY = Map.of(
            "discover", Set.of(),
            "add-node", Set.of("--provision", "--ready-timeout"));

    @TempDir
    Path tmp;

    private CliEnv env(StringWriter out, StringWriter err) {
        return new CliEnv(Map.of("NO_COLOR", "1", "HOME", tmp.resolve("home").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString()), tmp, new PrintWriter(out, true),
                new PrintWriter(err, true), new ByteArrayInputStream(new byte[0]), false);
    }

    private CliEnv env() {
        return env(new StringWriter(), new StringWriter());
    }

    @Test
    void theFastTablesAreThePicocliOptions() {
        CommandLine cl = Cli.build(env());
        CommandSpec rootSpec = cl.getCommandSpec();
        Set<String> rootFlags = new HashSet<>();
        Set<String> rootValued = new HashSet<>();
        for (OptionSpec o : rootSpec.options()) {
            if (o.usageHelp() || o.versionHelp() || o.longestName().equals("-v")) {
                continue;
            }
            (o.arity().max() == 0 ? rootFlags : rootValued).addAll(List.of(o.names()));
        }
        assertThat(FastArgs.ROOT_FLAGS).isEqualTo(rootFlags);
        assertThat(FastArgs.ROOT_VALUED).isEqualTo(rootValued);
        for (String name : PICOCLI_ONLY.keySet()) {
            CommandSpec spec = cl.getSubcommands().get(name).getCommandSpec();
            FastArgs.Shape shape = ((BaseCommand) spec.userObject()).fastShape();
            assertThat(shape).as(name).isNotNull();
            Set<String> flags = new HashSet<>();
            Set<String> valued = new HashSet<>();
            Set<String> required = new HashSet<>();
            for (OptionSpec o : spec.options()) {
                if (o.inherited() || o.usageHelp() || o.versionHelp() || PICOCLI_ONLY.get(name).contains(o.longestName())) {
                    continue;
                }
                assertThat(o.names()).as(name + " " + o.longestName() + ": one name").hasSize(1);
                assertThat(o.arity().max()).as(name + " " + o.longestName()).isLessThanOrEqualTo(1);
                assertThat(o.arity().min()).as(name + " " + o.longestName()).isEqualTo(o.arity().max());
                (o.arity().max() == 0 ? flags : valued).add(o.longestName());
                if (o.required()) {
                    required.add(o.longestName());
                }
            }
            assertThat(shape.flags()).as(name + " flags").isEqualTo(flags);
            assertThat(shape.valued()).as(name + " options with a value").isEqualTo(valued);
            assertThat(shape.required()).as(name + " required").isEqualTo(required);
            int min = 0;
            int max = 0;
            for (var p : spec.positionalParameters()) {
                min += p.arity().min();
                max += p.arity().max();
            }
            assertThat(shape.minPositionals()).as(name + " positionals").isEqualTo(min);
            assertThat(shape.maxPositionals()).as(name + " positionals").isEqualTo(max);
        }
    }

    @Test
    @DisplayName("Fast path: a random command line it accepts parses in picocli to exactly the same fields")
    void acceptedCommandLinesParseAsInPicocli() {
        int[] accepted = {0};
        Seeds.forAll("fast path equals picocli", 400, rnd -> {
            String[] args = commandLine(rnd);
            ClusterMgr fastRoot = new ClusterMgr(env());
            BaseCommand fast = FastArgs.parse(fastRoot, args);
            if (fast == null) {
                return;
            }
            accepted[0]++;
            CommandLine cl = Cli.build(env(), args);
            CommandLine.ParseResult pr;
            try {
                pr = cl.parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("the fast path took " + List.of(args) + " but picocli rejects it: " + e.getMessage());
            }
            ClusterMgr picoRoot = (ClusterMgr) cl.getCommand();
            Object pico = pr.subcommand().commandSpec().userObject();
            assertThat(pico.getClass()).isEqualTo(fast.getClass());
            assertSameFields(ClusterMgr.class, fastRoot, picoRoot, args);
            assertSameFields(fast.getClass(), fast, pico, args);
        });
        assertThat(accepted[0]).as("command lines the fast path took").isGreaterThan(60);
    }

    private static void assertSameFields(Class<?> cls, Object a, Object b, String[] args) {
        for (Field f : cls.getDeclaredFields()) {
            if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                f.setAccessible(true);
                try {
                    assertThat(Objects.deepEquals(f.get(a), f.get(b)))
                            .as(f.getName() + " after " + List.of(args) + ": fast " + f.get(a) + ", picocli " + f.get(b))
                            .isTrue();
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static final String[] VALUES = {"a", "gpu-*", "/tmp/s.json", "hosts.yml", "100.64.0.7", "worker",
        "control-plane", "k=v,a=b", "g=true:NoSchedule", "2", "4Gi", "json", "yaml", "table", "x y", "ä", "-", "-x",
        "--gpu", "@args", "", "discover", "'q'", "\"q\"", "fd7a:115c:a1e0::1"};
    private static final String[] NOISE = {"--", "-h", "--help", "-V", "@args", "--bogus", "-x", "", "-vo", "--gpu=true",
        "--online-only=false", "--filter", "--role", "extra", "'quoted'", "--inventory", "-o=json", "--provision",
        "--ready-timeout=5s", "add-node", "discover"};

    private static String value(Random rnd) {
        return rnd.nextInt(4) == 0 ? VALUES[rnd.nextInt(VALUES.length)] : VALUES[rnd.nextInt(8)];
    }

    /** A command line for discover or add-node: root options, the command, its options, sometimes noise. */
    private static String[] commandLine(Random rnd) {
        boolean add = rnd.nextBoolean();
        List<String> before = new ArrayList<>();
        List<List<String>> after = new ArrayList<>();
        String[] flags = add ? new String[] {"--gpu", "--allow-non-tailscale"} : new String[] {"--online-only", "--no-cluster-status"};
        String[] valued = add ? new String[] {"--reserved-cpu", "--reserved-memory", "--labels", "--taints", "--ansible-host",
            "--status-file"} : new String[] {"--filter", "--status-file"};
        int rootOpts = rnd.nextInt(3);
        for (int i = 0; i < rootOpts; i++) {
            List<String> o = rootOption(rnd);
            if (rnd.nextBoolean()) {
                before.addAll(o);
            } else {
                after.add(o);
            }
        }
        if (add) {
            after.add(List.of(rnd.nextInt(8) == 0 ? "--role=" + value(rnd) : "--role", value(rnd)));
            after.add(List.of("node-" + rnd.nextInt(9)));
            if (rnd.nextBoolean()) {
                after.add(List.of(VALUES[4 + rnd.nextInt(2) * 20]));
            }
        }
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            if (rnd.nextBoolean()) {
                after.add(List.of(flags[rnd.nextInt(flags.length)]));
            } else {
                String o = valued[rnd.nextInt(valued.length)];
                after.add(rnd.nextInt(4) == 0 ? List.of(o + "=" + value(rnd)) : List.of(o, value(rnd)));
            }
        }
        if (rnd.nextInt(3) == 0) {
            after.add(List.of(NOISE[rnd.nextInt(NOISE.length)]));
        }
        java.util.Collections.shuffle(after, rnd);
        List<String> all = new ArrayList<>(before);
        all.add(add ? "add-node" : "discover");
        after.forEach(all::addAll);
        return all.toArray(new String[0]);
    }

    private static List<String> rootOption(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> List.of("--inventory", value(rnd));
            case 1 -> List.of("--inventory=" + value(rnd));
            case 2 -> List.of(rnd.nextBoolean() ? "-o" : "--output", value(rnd));
            case 3 -> List.of("--no-color");
            case 4 -> List.of("-" + "v".repeat(1 + rnd.nextInt(3)));
            default -> List.of("-v");
        };
    }

    /** Runs a command line through picocli only (the path before the fast one existed). */
    private CapturedRun picocli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnv e = env(out, err);
        int code = Cli.build(e, args).execute(args);
        e.out().flush();
        e.err().flush();
        return new CapturedRun(code, out.toString(), err.toString());
    }

    private CapturedRun fast(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnv e = env(out, err);
        assertThat(FastArgs.parse(new ClusterMgr(e), args)).as("fast path takes " + List.of(args)).isNotNull();
        int code = Cli.run(e, args);
        return new CapturedRun(code, out.toString(), err.toString());
    }

    private record CapturedRun(int code, String out, String err) {
    }

    private static CapturedRun withoutFrames(CapturedRun r) {
        return new CapturedRun(r.code(), r.out(), r.err().replaceAll("(?m)^\\s+(at |\\.\\.\\. ).*\\R", ""));
    }

    @Test
    void discoverPrintsTheSameThroughEitherPath() throws Exception {
        Path hosts = Fixtures.inventory(tmp);
        Path status = tmp.resolve("status.json");
        Files.writeString(status, Fixtures.resource("tailscale/status-1.76.json"));
        for (String[] args : List.of(
                new String[] {"discover", "--status-file", status.toString(), "--inventory", hosts.toString()},
                new String[] {"--inventory", hosts.toString(), "-o", "json", "discover", "--status-file=" + status},
                new String[] {"discover", "--online-only", "--filter", "*a*", "--status-file", status.toString(),
                    "--inventory", hosts.toString(), "--output", "yaml"},
                new String[] {"discover", "--no-cluster-status", "--status-file", status.toString()},
                new String[] {"discover", "--status-file", tmp.resolve("missing.json").toString(), "-vvv"},
                new String[] {"discover", "-o", "xml", "--status-file", status.toString()})) {
            CapturedRun f = fast(args);
            CapturedRun p = picocli(args);
            // -vvv prints the stack trace, whose frames differ by path: compare all but the frames
            assertThat(withoutFrames(f)).as(List.of(args).toString()).isEqualTo(withoutFrames(p));
            assertThat(f.err().contains("\tat ")).isEqualTo(p.err().contains("\tat "));
        }
    }

    @Test
    void addNodeWritesAndPrintsTheSameThroughEitherPath() throws Exception {
        Path a = Fixtures.inventory(tmp.resolve("a"));
        Path b = Fixtures.inventory(tmp.resolve("b"));
        String[][] lines = {
            {"add-node", "new-w", "100.64.9.9", "--role", "worker", "--labels", "x=y", "--taints", "k=v:NoSchedule",
                "--reserved-cpu", "1", "--reserved-memory", "2Gi", "--gpu"},
            {"add-node", "new-cp", "--role=control-plane", "100.64.9.10", "-o", "json"},
            {"add-node", "new-w", "100.64.9.11", "--role", "worker"},
            {"add-node", "Bad_Name", "100.64.9.12", "--role", "worker"},
            {"add-node", "far", "10.0.0.1", "--role", "worker"},
            {"add-node", "far", "10.0.0.1", "--role", "worker", "--allow-non-tailscale", "--ansible-host", "far.example.com"},
            {"add-node", "x1", "100.64.9.13", "--role", "boss"},
        };
        for (String[] line : lines) {
            String[] fa = withInventory(line, a);
            String[] pa = withInventory(line, b);
            CapturedRun f = fast(fa);
            CapturedRun p = picocli(pa);
            assertThat(f.code()).as(List.of(line).toString()).isEqualTo(p.code());
            assertThat(f.out().replace(a.toString(), "INV")).as(List.of(line).toString())
                    .isEqualTo(p.out().replace(b.toString(), "INV"));
            assertThat(f.err().replace(a.toString(), "INV")).as(List.of(line).toString())
                    .isEqualTo(p.err().replace(b.toString(), "INV"));
            assertThat(Files.readString(a)).isEqualTo(Files.readString(b));
        }
    }

    private static String[] withInventory(String[] line, Path inv) {
        List<String> l = new ArrayList<>(List.of(line));
        l.add("--inventory");
        l.add(inv.toString());
        return l.toArray(new String[0]);
    }
}
