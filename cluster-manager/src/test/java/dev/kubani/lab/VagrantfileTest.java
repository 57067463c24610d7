package dev.kubani.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubani.k0s.K0sctl;
import dev.kubani.testutil.CliRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** lab/Vagrantfile and lab/Taskfile.yml: they read the plan and call cluster-mgr, and repeat no logic. */
class VagrantfileTest {
    static final Path LAB = Path.of(System.getProperty("kubani.repo.root", "..")).resolve("lab").toAbsolutePath().normalize();

    static String vagrantfile() throws IOException {
        return Files.readString(LAB.resolve("Vagrantfile"), StandardCharsets.UTF_8);
    }

    /** The Vagrantfile without its comments. */
    static String code() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : vagrantfile().split("\n")) {
            if (!line.stripLeading().startsWith("#")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    @DisplayName("Ruby-free: the Vagrantfile gets everything from 'lab plan --output json' and computes nothing")
    void onlyReadsThePlan(@TempDir Path dir) throws IOException {
        String code = code();
        assertThat(code).contains("\"lab\", \"plan\", \"--output\", \"json\"").contains("JSON.parse");
        // no addresses, sizes, counts, names or settings of its own
        assertThat(code).doesNotContainPattern("\\d+\\.\\d+\\.\\d+\\.\\d+")
                .doesNotContain("control-plane").doesNotContain("worker-")
                .doesNotContain("control_plane_count").doesNotContain("worker_count").doesNotContain("memory_control")
                .doesNotContain("memory_worker").doesNotContain("cpu_control").doesNotContain("cpu_worker").doesNotContain("disk_size").doesNotContain(".times").doesNotContain("each_with_index")
                .doesNotContain("generic/").doesNotContain("cirruslabs");
        Matcher digits = Pattern.compile("(?<![A-Za-z_])\\d+").matcher(code);
        List<String> numbers = new ArrayList<>();
        while (digits.find()) {
            numbers.add(digits.group());
        }
        assertThat(numbers).as("numeric literals in the Vagrantfile").containsOnly("2"); // Vagrant.configure("2")
        Matcher env = Pattern.compile("ENV(?:\\.fetch\\(|\\[)\"([A-Za-z_]+)\"").matcher(code);
        Set<String> envs = new LinkedHashSet<>();
        while (env.find()) {
            envs.add(env.group(1));
        }
        assertThat(envs).containsExactly("KUBANI_CLUSTER_MGR");

        // every plan key it reads exists in the plan, for both providers
        Set<String> keys = new LinkedHashSet<>();
        Matcher k = Pattern.compile("(?:plan|node)\\[\"([a-z_]+)\"\\](?:\\[\"([a-z_]+)\"\\])?").matcher(code);
        while (k.find()) {
            keys.add(k.group(2) == null ? k.group(1) : k.group(1) + "." + k.group(2));
        }
        assertThat(keys).contains("nodes", "name", "ip", "cpus", "memory_mb", "disk_gb", "box", "ssh.user");
        for (String provider : List.of("libvirt", "tart")) {
            CliRunner.Result r = new CliRunner(dir).run("lab", "plan", "-o", "json", "--lab-dir", dir.toString(),
                    "--provider", provider);
            JsonNode plan = new ObjectMapper().readTree(r.out());
            for (String key : keys) {
                String[] parts = key.split("\\.");
                boolean nodeKey = Set.of("name", "ip", "cpus", "memory_mb", "disk_gb").contains(parts[0]);
                JsonNode n = nodeKey ? plan.get("nodes").get(0) : plan;
                for (String part : parts) {
                    assertThat(n.has(part)).as("plan key %s (%s)", key, provider).isTrue();
                    n = n.get(part);
                }
            }
        }
    }

    @Test
    @DisplayName("Taskfile: the seed's six tasks exist and each runs its 'cluster-mgr lab' step")
    @SuppressWarnings("unchecked")
    void taskfile() throws IOException {
        Map<String, Object> doc = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(LAB.resolve("Taskfile.yml")));
        Map<String, Object> tasks = (Map<String, Object>) doc.get("tasks");
        Map<String, String> expected = Map.of("vagrant:up", "lab up", "vagrant:destroy", "lab down", "vagrant:status",
                "lab status", "cluster:apply", "lab apply", "cluster:health", "lab health", "cluster:kubeconfig", "lab kubeconfig");
        expected.forEach((task, cmd) -> {
            assertThat(tasks).containsKey(task);
            List<Object> cmds = (List<Object>) ((Map<String, Object>) tasks.get(task)).get("cmds");
            assertThat(cmds).containsExactly("{{.CLUSTER_MGR}} " + cmd);
        });
        // the commands the tasks call exist
        List<String> sub = new ArrayList<>();
        CliRunner.Result r = new CliRunner(LAB).run("lab", "--help");
        for (String cmd : expected.values()) {
            sub.add(cmd.substring(4));
            assertThat(r.out()).containsPattern("(?m)^\\s+" + cmd.substring(4) + "\\s");
        }
        assertThat(sub).hasSize(6);
    }

    /** A launcher for the real cluster-mgr from the test classpath (the jar is built only at 'package'). */
    static Path clusterMgr(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Path script = dir.resolve("cluster-mgr");
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -cp '" + cp + "' dev.kubani.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @ParameterizedTest(name = "vagrant validate {0}+{1}")
    @CsvSource({"1,1", "3,2"})
    @DisplayName("vagrant validate accepts the Vagrantfile on the libvirt provider")
    void vagrantValidate(int cps, int workers, @TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        Path vagrant = K0sctl.which("vagrant", env);
        Assumptions.assumeTrue(vagrant != null, "ASSUMPTION: Debian's vagrant and vagrant-libvirt packages are not installed "
                + "(scripts/deps.d/lab.txt lists them); skipping 'vagrant validate'");
        Path lab = Files.createDirectories(dir.resolve("lab"));
        Files.copy(LAB.resolve("Vagrantfile"), lab.resolve("Vagrantfile"));
        Files.copy(LAB.resolve("provision.sh"), lab.resolve("provision.sh"));
        env.put("KUBANI_CLUSTER_MGR", clusterMgr(dir).toString());
        env.put("HOME", dir.toString());
        env.put("VAGRANT_HOME", dir.resolve("vagrant.d").toString());
        env.put("control_plane_count", String.valueOf(cps));
        env.put("worker_count", String.valueOf(workers));
        env.put("lab_provider", "libvirt");
        env.put("VAGRANT_DEFAULT_PROVIDER", "libvirt");
        List<String> lines = new ArrayList<>();
        int code = new Vagrant(vagrant, lab, env).validate(lines::add);
        String out = String.join("\n", lines);
        Assumptions.assumeFalse(out.contains("No usable default provider") || out.contains("provider 'libvirt' could not be found"),
                "ASSUMPTION: the vagrant-libvirt plugin is missing; skipping 'vagrant validate': " + out);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("validated successfully");
        if (cps > 1) {
            // Vagrant defines exactly the planned machines
            List<String> status = new ArrayList<>();
            new Vagrant(vagrant, lab, env).run(List.of("status", "--machine-readable"), status::add);
            assertThat(Vagrant.parseStatus(status)).hasSize(cps + workers).containsEntry("control-plane-" + cps, "not_created")
                    .containsKey("worker-" + workers);
            return;
        }
        // a plan error stops Vagrant with the plan's own line
        env.put("worker_count", "999");
        lines.clear();
        code = new Vagrant(vagrant, lab, env).validate(lines::add);
        assertThat(code).isNotZero();
        assertThat(String.join("\n", lines)).contains("worker_count=999 does not fit");
    }
}
