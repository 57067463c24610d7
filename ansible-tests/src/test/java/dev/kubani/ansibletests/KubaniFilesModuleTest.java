package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * ansible/library/kubani_files.py, the module the roles write their files with, run for real by
 * ansible-playbook on the management machine (localhost) against a temporary directory.
 */
@DisplayName("kubani_files: several files in one module run, atomically, only what differs")
class KubaniFilesModuleTest {
    private static final String SECRET = "K10SuperSecretJoinTokenValue42";
    private Path work;
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Repo.onPath("ansible-playbook"), "ansible-core is not installed");
        work = Files.createTempDirectory("kubani-files");
        Files.createDirectories(work.resolve("tmp"));
        root = work.resolve("root");
        Files.createDirectories(root);
    }

    private Proc.Result play(String items, String... extra) throws IOException {
        Path pb = work.resolve("play.yml");
        Files.writeString(pb, """
                - name: Files
                  hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: Write the files
                      kubani_files:
                        files:
                %s
                """.formatted(items.indent(10).stripTrailing()));
        return run(pb, extra);
    }

    /** ansible-playbook on localhost (local connection) with the project's ansible.cfg. */
    private Proc.Result run(Path pb, String... extra) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ansible-playbook", "-i", "localhost,", "-c", "local",
                "-e", "ansible_python_interpreter=/usr/bin/python3", "-e", "ansible_user=" + owner(), pb.toString()));
        cmd.addAll(List.of(extra));
        Map<String, String> env = AnsibleRun.env(work);
        return Proc.run(Repo.ansible(), env, 120, cmd);
    }

    private String items() {
        return """
                - {path: %1$s/d, state: directory, mode: "0750", owner: %2$s, group: %3$s}
                - {path: %1$s/d/config.yaml, content: "node-ip: 100.64.0.1\\n", mode: "0600", owner: %2$s, group: %3$s}
                - {path: %1$s/d/token, secret_content: "%4$s\\n", mode: "0600", owner: %2$s, group: %3$s}
                - {path: %1$s/old.conf, state: absent}
                """.formatted(root, owner(), group(), SECRET);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    @DisplayName("creates, reports changed once, then changed=0; modes set; an absent item removes the file")
    void convergesAndIsIdempotent() throws IOException {
        Files.writeString(root.resolve("old.conf"), "stale\n");
        Proc.Result first = play(items());
        assertThat(first.rc()).as(first.out()).isZero();
        assertThat(first.out()).contains("changed=1");
        assertThat(Files.readString(root.resolve("d/config.yaml"))).isEqualTo("node-ip: 100.64.0.1\n");
        assertThat(Files.readString(root.resolve("d/token"))).isEqualTo(SECRET + "\n");
        assertThat(mode(root.resolve("d"))).isEqualTo("rwxr-x---");
        assertThat(mode(root.resolve("d/token"))).isEqualTo("rw-------");
        assertThat(root.resolve("old.conf")).doesNotExist();
        try (Stream<Path> s = Files.list(root.resolve("d"))) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no temporary file is left behind")
                    .containsExactlyInAnyOrder("config.yaml", "token");
        }
        Proc.Result second = play(items());
        assertThat(second.out()).as(second.out()).contains("changed=0").contains("failed=0");

        // Drift in mode only, then in content: each is repaired, and only that path is reported.
        Files.setPosixFilePermissions(root.resolve("d/token"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(root.resolve("d/config.yaml"), "node-ip: 1.2.3.4\n");
        Proc.Result third = play(items(), "-v");
        assertThat(third.out()).contains("changed=1")
                .contains("\"" + root + "/d/token\": \"attributes\"")
                .contains("\"" + root + "/d/config.yaml\": \"content\"");
        assertThat(mode(root.resolve("d/token"))).isEqualTo("rw-------");
        assertThat(Files.readString(root.resolve("d/config.yaml"))).isEqualTo("node-ip: 100.64.0.1\n");
    }

    @Test
    @DisplayName("check mode changes nothing; diff shows plain files and never secret_content, even at -vvv")
    void checkModeAndDiffNeverShowTheSecret() throws IOException {
        Proc.Result check = play(items(), "--check", "--diff", "-vvv");
        assertThat(check.rc()).as(check.out()).isZero();
        assertThat(check.out()).contains("changed=1").contains("+node-ip: 100.64.0.1").doesNotContain(SECRET);
        assertThat(root.resolve("d")).doesNotExist();
        Proc.Result real = play(items(), "--diff", "-vvv");
        assertThat(real.rc()).as(real.out()).isZero();
        assertThat(real.out()).doesNotContain(SECRET);
        assertThat(Files.readString(root.resolve("d/token"))).isEqualTo(SECRET + "\n");
    }

    @Test
    @DisplayName("manifest: kubani_files records its paths, kubani_probe paths_from reads them back, kubani_files_differ decides from that")
    void manifestProbeAndDifferAgree() throws IOException {
        Path manifest = root.resolve("state/managed.json");
        Path pb = work.resolve("manifest.yml");
        Files.writeString(pb, """
                - name: Manifest
                  hosts: localhost
                  gather_facts: false
                  vars:
                    want:
                      - {path: %1$s/d, state: directory, mode: "0755", owner: %3$s, group: %4$s}
                      - {path: %1$s/d/a.conf, content: "a: 1\\n", mode: "0644", owner: %3$s, group: %4$s}
                      - {path: %1$s/gone.conf, state: absent}
                  tasks:
                    - name: Write
                      kubani_files:
                        files: "{{ want }}"
                        manifest: %2$s
                    - name: Probe what the manifest lists
                      kubani_probe:
                        paths_from: [%2$s]
                      register: probe
                    - name: Report what differs
                      ansible.builtin.debug:
                        msg: "DIFFER={{ want | kubani_files_differ(probe) | to_json }} PROBED={{ probe.probed | length }}"
                """.formatted(root, manifest, owner(), group()));
        Proc.Result check = run(pb, "--check");
        assertThat(check.rc()).as(check.out()).isZero();
        assertThat(manifest).as("check mode writes no manifest").doesNotExist();
        Proc.Result first = run(pb);
        assertThat(first.rc()).as(first.out()).isZero();
        assertThat(first.out()).contains("DIFFER=[] PROBED=3");
        assertThat(Files.readString(manifest)).contains("\"" + root + "/d/a.conf\": \"file\"")
                .contains("\"" + root + "/gone.conf\": \"absent\"");
        assertThat(mode(manifest)).isEqualTo("rw-r--r--");
        Proc.Result second = run(pb);
        assertThat(second.out()).as("the manifest is bookkeeping, not a change").contains("changed=0");
        // Drift the probe must see through the manifest alone.
        Files.writeString(root.resolve("d/a.conf"), "a: 2\n");
        Files.writeString(root.resolve("gone.conf"), "back\n");
        Proc.Result drift = run(pb, "--check");
        // (debug prints the message JSON-escaped)
        assertThat(drift.out()).contains("DIFFER=[\\\"" + root + "/d/a.conf\\\", \\\"" + root + "/gone.conf\\\"]");
    }

    private static String owner() {
        return System.getProperty("user.name");
    }

    private static String group() {
        return owner().equals("root") ? "root" : owner();
    }

    @Test
    @DisplayName("bad input: one clear line naming the path and the fix, and nothing half-written")
    void badInputNamesThePath() throws IOException {
        Proc.Result noParent = play("- {path: %s/missing/dir/file.conf, content: \"x\\n\"}".formatted(root));
        assertThat(noParent.rc()).isNotZero();
        assertThat(noParent.out()).contains(root + "/missing/dir/file.conf: directory " + root
                + "/missing/dir does not exist; add it as an earlier item with state directory");
        Proc.Result badMode = play("- {path: %s/f.conf, content: \"x\\n\", mode: \"rw-r--r--\"}".formatted(root));
        assertThat(badMode.rc()).isNotZero();
        assertThat(badMode.out()).contains(root + "/f.conf: mode 'rw-r--r--' is not octal");
        Proc.Result badOwner = play("- {path: %s/f.conf, content: \"x\\n\", owner: no-such-user-kubani}".formatted(root));
        assertThat(badOwner.out()).contains(root + "/f.conf: owner 'no-such-user-kubani' does not exist on this host");
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.toList()).as("nothing was written").isEmpty();
        }
    }

    @Test
    @DisplayName("bad arguments: an unknown key of an item is one line naming the item, the key and the supported keys")
    void unknownItemKey() throws IOException {
        Proc.Result res = play("- {path: %s/f.conf, contnt: \"x\\n\"}".formatted(root));
        assertThat(res.rc()).isNotZero();
        assertThat(res.out()).contains("kubani_files: files[0]: unsupported key 'contnt' (supported: content, group, "
                + "mode, owner, path, secret_content, state)").doesNotContain("Traceback");
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.toList()).as("nothing was written").isEmpty();
        }
    }

    /**
     * Runs kubani_files twice in one new network namespace (unshare --net), where the net.*
     * kernel parameters are the namespace's own, so the machine's are never touched.
     */
    private Proc.Result twiceInNewNetns(String sysctlsJson, boolean check) throws IOException {
        assumeTrue("root".equals(owner()) && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "needs root and unshare for a network namespace of its own");
        Path args = work.resolve("sysctl-args.json");
        Files.writeString(args, "{\"ANSIBLE_MODULE_ARGS\": {\"sysctls\": " + sysctlsJson
                + ", \"_ansible_check_mode\": " + check + "}}");
        String module = Repo.ansible().resolve("library/kubani_files.py").toString();
        return Proc.run(work, Map.of(), 60, "/usr/bin/unshare", "--net", "sh", "-c",
                "/usr/bin/python3 \"$1\" \"$2\"; echo; /usr/bin/python3 \"$1\" \"$2\"; echo;"
                        + " echo LIVE=$(cat /proc/sys/net/ipv4/ip_forward)", "sh", module, args.toString());
    }

    @Test
    @DisplayName("sysctls: sets only the kernel parameters whose live value differs; a second run changes nothing")
    void sysctlsSetOnlyWhatDiffers() throws IOException {
        // A new network namespace starts with forwarding off and the default local port range.
        Proc.Result res = twiceInNewNetns(
                "{\"net.ipv4.ip_forward\": \"1\", \"net.ipv4.ip_local_port_range\": \"32768 60999\"}", false);
        assertThat(res.rc()).as(res.toString()).isZero();
        String[] lines = res.out().strip().lines().filter(l -> !l.isBlank()).toArray(String[]::new);
        assertThat(lines[0]).as(res.out()).contains("\"changed\": true").contains("\"sysctls_changed\": [\"net.ipv4.ip_forward\"]");
        assertThat(lines[1]).as(res.out()).contains("\"changed\": false").contains("\"sysctls_changed\": []");
        assertThat(res.out()).contains("LIVE=1");
    }

    @Test
    @DisplayName("sysctls: a parameter the kernel lacks fails naming it and the fix; check mode reports it as to be set")
    void sysctlsMissingParameter() throws IOException {
        Proc.Result real = twiceInNewNetns("{\"net.kubani.no_such_parameter\": \"1\"}", false);
        assertThat(real.out()).contains("sysctls: kernel parameter net.kubani.no_such_parameter does not exist on this "
                + "host (/proc/sys/net/kubani/no_such_parameter); load the kernel module that provides it").contains("\"failed\": true")
                .doesNotContain("Traceback");
        Proc.Result check = twiceInNewNetns("{\"net.kubani.no_such_parameter\": \"1\", \"net.ipv4.ip_forward\": \"1\"}", true);
        assertThat(check.out()).as(check.out()).contains("\"sysctls_changed\": [\"net.kubani.no_such_parameter\", \"net.ipv4.ip_forward\"]")
                .contains("LIVE=0");
    }
}
