package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks kubani_probe runs on what it read (the prerequisites role's first step: Properties 5
 * and 6), one per way a node can be wrong, with the module run directly by /usr/bin/python3 as
 * Ansible runs it. The network-namespace hosts of ProvisionHarnessTest cover three of these end
 * to end; this covers all of them, in the order the role's README lists them.
 *
 * <p>TEST STAND-IN: {@code tailscale} here is a small script written by the test that prints a
 * fixed {@code status --json} answer (or fails); it is not Tailscale.
 */
class KubaniProbeChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IP = "100.64.7.9";
    private static final String LOOPBACK_IFACE = "lo";

    @TempDir
    static Path dir;

    @BeforeAll
    static void python() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
    }

    /** A stand-in tailscale command in its own directory, answering with this status and exit code. */
    private static Path standIn(String name, String statusJson, int rc, String stderr) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(name));
        Path ts = bin.resolve("tailscale");
        Files.writeString(ts, "#!/bin/sh\n# KUBANI TEST STAND-IN for the tailscale CLI; not Tailscale.\n"
                + "cat <<'EOF'\n" + statusJson + "\nEOF\n"
                + (stderr.isEmpty() ? "" : "echo '" + stderr + "' >&2\n")
                + "exit " + rc + "\n");
        Files.setPosixFilePermissions(ts, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static String status(String state, String... ips) {
        return """
                {"BackendState": "%s", "Self": {"DNSName": "w1.tail1234.ts.net.", "TailscaleIPs": [%s]},
                 "MagicDNSSuffix": "tail1234.ts.net", "Peer": {"x": {"DNSName": "other.tail1234.ts.net."}}}"""
                .formatted(state, String.join(", ", java.util.Arrays.stream(ips).map(i -> "\"" + i + "\"").toList()));
    }

    private static JsonNode probe(Path bin, Map<String, Object> checks, Map<String, Object> connect) throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("tailscale", List.of("tailscale", "status", "--json"));
        args.put("checks", checks);
        if (connect != null) {
            args.put("connect", connect);
        }
        Path argsFile = Files.createTempFile(dir, "args", ".json");
        JSON.writeValue(argsFile.toFile(), Map.of("ANSIBLE_MODULE_ARGS", args));
        Proc.Result res = Proc.run(dir, Map.of("PATH", bin + ":/usr/bin:/bin"), 60, "/usr/bin/python3",
                Repo.ansible().resolve("library/kubani_probe.py").toString(), argsFile.toString());
        String out = res.out().strip();
        assertThat(out).as(res.toString()).contains("{");
        return JSON.readTree(out.substring(out.indexOf('{')));
    }

    private static Map<String, Object> checks(String ip, String iface) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("host", "w1");
        c.put("tailscale_ip", ip);
        c.put("tailscale_network", "100.64.0.0/10");
        c.put("interface", iface);
        c.put("first_server", "s1");
        return c;
    }

    private static void assertFails(JsonNode r, String step, String fix) {
        assertThat(r.path("failed").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.path("msg").asText()).startsWith("w1: step '" + step + "' failed").contains("Fix:").contains(fix);
        assertThat(r.has("files")).as("a failed check returns only its message").isFalse();
    }

    @Test
    @DisplayName("Property 5: a healthy node passes, and only the fields the roles use come back, parsed on the node")
    void healthyNodePasses() throws IOException {
        JsonNode r = probe(standIn("ok", status("Running", IP, "fd7a:115c:a1e0::1"), 0, ""), checks(IP, LOOPBACK_IFACE), null);
        assertThat(r.path("failed").asBoolean()).as(r.toString()).isFalse();
        JsonNode ts = r.path("tailscale");
        assertThat(ts.path("backend_state").asText()).isEqualTo("Running");
        assertThat(ts.path("ips").toString()).contains(IP);
        assertThat(ts.path("dns_name").asText()).isEqualTo("w1.tail1234.ts.net");
        assertThat(ts.path("magicdns_suffix").asText()).isEqualTo("tail1234.ts.net");
        assertThat(r.toString()).as("the peer list is not returned").doesNotContain("other.tail1234");
    }

    @Test
    @DisplayName("each check fails with the node, the step and the fix, in the README's order")
    void eachProblemNamesTheStepAndTheFix() throws IOException {
        Path running = standIn("running", status("Running", IP), 0, "");
        assertFails(probe(running, checks("100.200.0.1", LOOPBACK_IFACE), null), "validate inventory", "hosts.yml");
        assertFails(probe(running, checks("not-an-ip", LOOPBACK_IFACE), null), "validate inventory", "hosts.yml");
        assertFails(probe(Files.createDirectories(dir.resolve("empty")), checks(IP, LOOPBACK_IFACE), null),
                "tailscale installed", "tailscale up");
        assertFails(probe(standIn("down", "", 1, "failed to connect to local tailscaled"), checks(IP, LOOPBACK_IFACE), null),
                "tailscale running", "systemctl enable --now tailscaled");
        assertFails(probe(standIn("out", status("NeedsLogin"), 0, ""), checks(IP, LOOPBACK_IFACE), null),
                "tailscale logged in", "sudo tailscale up");
        JsonNode other = probe(standIn("other", status("Running", "100.64.7.10"), 0, ""), checks(IP, LOOPBACK_IFACE), null);
        assertFails(other, "tailscale ip matches inventory", "tailscale ip -4");
        assertThat(other.path("msg").asText()).contains("100.64.7.10");
        assertFails(probe(running, checks(IP, "kubani-none0"), null), "tailscale interface", "TUN mode");
    }

    @Test
    @DisplayName("Property 6: the first server must accept a TCP connection; a closed port fails naming it")
    void reachability() throws IOException {
        Path running = standIn("reach", status("Running", IP), 0, "");
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, Object> ok = Map.of("host", "127.0.0.1", "port", open.getLocalPort(), "timeout", 2);
            JsonNode r = probe(running, checks(IP, LOOPBACK_IFACE), ok);
            assertThat(r.path("failed").asBoolean()).as(r.toString()).isFalse();
            assertThat(r.path("connected").asBoolean()).isTrue();
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        JsonNode r = probe(running, checks(IP, LOOPBACK_IFACE), Map.of("host", "127.0.0.1", "port", closed, "timeout", 1));
        assertFails(r, "reach first server over tailscale", "tailscale ping 127.0.0.1");
        assertThat(r.path("msg").asText()).contains("s1 at 127.0.0.1:" + closed);
    }

    @Test
    @DisplayName("facts: the probe reports the host facts the roles use with the values Ansible's own setup module gathers here")
    void factsMatchAnsibleSetup() throws IOException {
        assumeTrue(Repo.onPath("ansible"), "ansible-core is not installed");
        Path argsFile = Files.createTempFile(dir, "facts", ".json");
        JSON.writeValue(argsFile.toFile(), Map.of("ANSIBLE_MODULE_ARGS", Map.of("facts", true)));
        Proc.Result probe = Proc.run(dir, Map.of(), 60, "/usr/bin/python3",
                Repo.ansible().resolve("library/kubani_probe.py").toString(), argsFile.toString());
        JsonNode mine = JSON.readTree(probe.out().substring(probe.out().indexOf('{'))).path("ansible_facts");
        Proc.Result setup = Proc.run(dir, AnsibleRun.env(dir), 120, "ansible", "-i", "localhost,", "-c", "local",
                "-e", "ansible_python_interpreter=/usr/bin/python3", "localhost", "-m", "ansible.builtin.setup",
                "-a", "gather_subset=!all,!min,distribution,platform,service_mgr,pkg_mgr");
        assertThat(setup.rc()).as(setup.toString()).isZero();
        JsonNode theirs = JSON.readTree(setup.out().substring(setup.out().indexOf('{'))).path("ansible_facts");
        for (String fact : List.of("system", "kernel", "machine", "architecture", "os_family", "distribution",
                "distribution_version", "distribution_major_version", "distribution_release", "service_mgr",
                "pkg_mgr")) {
            assertThat(mine.path(fact).asText()).as(fact + " in " + mine).isNotEmpty()
                    .isEqualTo(theirs.path("ansible_" + fact).asText());
        }
    }

    @Test
    @DisplayName("bad arguments: an unknown parameter is one line naming it and the supported ones")
    void unknownParameter() throws IOException {
        Path argsFile = Files.createTempFile(dir, "bad", ".json");
        JSON.writeValue(argsFile.toFile(), Map.of("ANSIBLE_MODULE_ARGS", Map.of("pathz", List.of("/etc"))));
        Proc.Result res = Proc.run(dir, Map.of(), 60, "/usr/bin/python3",
                Repo.ansible().resolve("library/kubani_probe.py").toString(), argsFile.toString());
        assertThat(res.rc()).isNotZero();
        JsonNode r = JSON.readTree(res.out().substring(res.out().indexOf('{')));
        assertThat(r.path("failed").asBoolean()).isTrue();
        assertThat(r.path("msg").asText()).isEqualTo("kubani_probe: unsupported parameter 'pathz' (supported: "
                + "checks, connect, facts, paths, paths_from, read, run, tailscale)");
        assertThat(res.out()).doesNotContain("Traceback");
    }
}
