package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;

/**
 * The playbooks run for real over SSH against four harness hosts (network namespaces with
 * private overlays, tests/harness/hosts.sh): node1 is the server, node2 a plain worker, node3 a
 * workstation worker with default reservations, node4 a GPU workstation that is added later with
 * add_node.yml. Everything that does not need the K3s binary runs for real; the K3s binary
 * install runs in check mode (no downloads: the harness has no internet, and must not try).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Provisioning on SSH harness hosts")
class ProvisionHarnessTest {
    /** The prerequisites step that checks the inventory values, Tailscale and reachability. */
    static final String CHECKS = "Check the inventory values, Tailscale and the path to the first server";

    /** Real K3s flags (server and agent, v1.31) that Kubani may write to config.yaml. */
    static final Set<String> K3S_FLAGS = Set.of(
            "node-name", "node-ip", "node-external-ip", "flannel-iface", "flannel-backend", "flannel-conf",
            "kubelet-arg", "kube-proxy-arg", "node-label", "node-taint", "advertise-address", "advertise-port",
            "bind-address", "tls-san", "write-kubeconfig-mode", "write-kubeconfig", "cluster-cidr",
            "service-cidr", "cluster-domain", "cluster-dns", "token", "token-file", "agent-token",
            "agent-token-file", "cluster-init", "server", "etcd-arg", "disable", "data-dir",
            "etcd-snapshot-dir", "etcd-snapshot-schedule-cron", "etcd-snapshot-retention", "secrets-encryption",
            "kube-apiserver-arg", "kube-controller-manager-arg", "kube-scheduler-arg", "protect-kernel-defaults",
            "selinux", "private-registry", "resolv-conf", "with-node-id", "disable-network-policy",
            "disable-cloud-controller", "disable-helm-controller", "embedded-registry");

    static final String K3S_SKIP = "k3s_install,gpu";
    /** The K3s files' step, which also writes the resilience role's files when the run includes that role. */
    static final String K3S_FILES = "Write the K3s files (token files, config.yaml, unit, uninstall script) and the tailscale0 hook with them";
    /** The resilience role's own write, for runs without the K3s files' step (--tags resilience). */
    static final String HOOK_FILES = "Install the hook and its unit, and remove the old drop-in, where they differ";

    Path work;
    Path inventory;
    Path overrides;
    Harness harness;
    String firstIp;
    AnsibleRun.Outcome firstRun;
    AnsibleRun.Outcome addNode;
    AnsibleRun.Outcome secondRun;
    AnsibleRun.Outcome checkInstall;
    final Yaml yaml = new Yaml();

    @BeforeAll
    void provision() throws IOException {
        assumeTrue(Repo.isRoot(), "the SSH harness needs root (network namespaces, mounts)");
        assumeTrue(Repo.onPath("ansible-playbook") && Files.exists(Path.of("/usr/sbin/sshd")),
                "needs ansible-playbook and openssh-server (scripts/deps.d/ansible.txt)");
        work = Harness.tempDir("kubani-ansible-");
        Files.createDirectories(work.resolve("tmp"));
        harness = Harness.up(4, work.resolve("harness"));
        firstIp = harness.address("node1");
        Path invDir = Files.createDirectories(work.resolve("inventory"));
        Files.createSymbolicLink(invDir.resolve("group_vars"), Repo.ansible().resolve("inventory/group_vars"));
        inventory = invDir.resolve("hosts.yml");
        overrides = work.resolve("overrides.yml");
        // Test-only settings: where the local secrets go, and the harness kernel has no module
        // tree (br_netfilter cannot be loaded here), so only overlay (built in) is required.
        Files.writeString(overrides, String.join("\n",
                "gitops_enabled: false",
                "prerequisites_kernel_modules: [overlay]",
                "k3s_token_local_file: " + work.resolve("vault/tokens.yml"),
                "k3s_token_vault_password_file: " + work.resolve("vault/password"),
                "kubeconfig_local_path: " + work.resolve("kubeconfig"),
                ""));

        writeInventory(false);
        firstRun = play("site.yml", "--skip-tags", K3S_SKIP);
        writeInventory(true);
        addNode = play("add_node.yml", "-e", "node=node4", "--skip-tags", K3S_SKIP);
        secondRun = play("site.yml", "--skip-tags", K3S_SKIP);
        checkInstall = play("site.yml", "--check", "--tags", "k3s_install");
    }

    @AfterAll
    void teardown() {
        if (harness != null) {
            harness.close();
        }
    }

    AnsibleRun.Outcome play(String playbook, String... args) {
        List<String> all = new ArrayList<>(List.of("-e", "@" + overrides));
        all.addAll(List.of(args));
        return AnsibleRun.playbook(work, inventory, playbook, all.toArray(String[]::new));
    }

    void writeInventory(boolean withGpuNode) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Harness inventory in the seed schema (hosts.yml.example)\n");
        sb.append("all:\n  vars:\n");
        sb.append("    k3s_version: v1.31.4+k3s1\n    cluster_name: harness\n    tailscale_network: 100.64.0.0/10\n");
        sb.append("    ansible_user: root\n    ansible_python_interpreter: /usr/bin/python3\n");
        sb.append("    ansible_ssh_private_key_file: ").append(harness.privateKey()).append('\n');
        sb.append("    ansible_ssh_common_args: -o UserKnownHostsFile=").append(harness.knownHosts())
                .append(" -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes\n");
        sb.append("  children:\n    control_plane:\n      hosts:\n");
        host(sb, "node1", "          node_labels:\n            node-role: control-plane\n");
        sb.append("    workers:\n      hosts:\n");
        host(sb, "node2", "");
        host(sb, "node3", "          node_labels:\n            workstation: \"true\"\n");
        if (withGpuNode) {
            host(sb, "node4", "          reserved_cpu: \"4\"\n          reserved_memory: 8Gi\n          gpu: true\n"
                    + "          node_labels:\n            gpu: \"true\"\n            workstation: \"true\"\n");
        }
        Files.writeString(inventory, sb.toString());
    }

    private void host(StringBuilder sb, String name, String extra) {
        sb.append("        ").append(name).append(":\n");
        sb.append("          ansible_host: ").append(harness.address(name)).append('\n');
        sb.append("          tailscale_ip: ").append(harness.address(name)).append('\n');
        sb.append(extra);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> config(String host) {
        return (Map<String, Object>) yaml.load(harness.read(host, "/etc/rancher/k3s/config.yaml"));
    }

    @SuppressWarnings("unchecked")
    static List<String> list(Map<String, Object> cfg, String key) {
        Object v = cfg.get(key);
        return v == null ? List.of() : (List<String>) v;
    }

    static void assertSucceeded(AnsibleRun.Outcome run, String... hosts) {
        assertThat(run.rc()).as(run.out()).isZero();
        for (String h : hosts) {
            assertThat(run.stat(h, "failed")).as(h + " failed count\n" + run.out()).isZero();
            assertThat(run.stat(h, "unreachable")).as(h + " unreachable").isZero();
        }
    }

    String mode(String host, String path) {
        return harness.exec(host, "stat", "-c", "%a %U", path).out().trim();
    }

    // ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @DisplayName("Property 1: every node gets K3s (config, unit; the binary install runs in check mode), exactly one server")
    void property1CompleteInstallation() {
        assertSucceeded(firstRun, "node1", "node2", "node3");
        assertSucceeded(addNode, "node1", "node4");
        int servers = 0;
        for (String h : List.of("node1", "node2", "node3", "node4")) {
            boolean server = harness.exec(h, "test", "-f", "/etc/systemd/system/k3s.service").rc() == 0;
            boolean agent = harness.exec(h, "test", "-f", "/etc/systemd/system/k3s-agent.service").rc() == 0;
            assertThat(server ^ agent).as(h + " has exactly one K3s unit").isTrue();
            String unit = harness.read(h, server ? "/etc/systemd/system/k3s.service"
                    : "/etc/systemd/system/k3s-agent.service");
            assertThat(unit).contains("ExecStart=/usr/local/bin/k3s " + (server ? "server" : "agent")
                    + " --config /etc/rancher/k3s/config.yaml");
            // The unit names config.yaml itself: no environment file beside it.
            assertThat(unit).doesNotContain(".service.env");
            assertThat(harness.exec(h, "test", "-x", "/usr/local/bin/kubani-k3s-uninstall.sh").rc()).isZero();
            servers += server ? 1 : 0;
        }
        assertThat(servers).as("exactly one control plane node").isEqualTo(1);
        // The binary install, in check mode: every node would get the pinned version, nothing downloaded.
        assertSucceeded(checkInstall, "node1", "node2", "node3", "node4");
        for (String h : List.of("node1", "node2", "node3", "node4")) {
            assertThat(checkInstall.out()).contains(h + ": check mode: would install K3s v1.31.4+k3s1");
            assertThat(harness.exec(h, "test", "-e", "/usr/local/bin/k3s").rc()).as("no binary in check mode").isNotZero();
        }
    }

    @Test
    @Order(2)
    @DisplayName("Property 2: node-ip, advertise-address, server URL and tls-san use the Tailscale IP; flannel binds tailscale0")
    void property2TailscaleAddresses() {
        Pattern ipv4 = Pattern.compile("\\b(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\b(?!/)");
        for (String h : List.of("node1", "node2", "node3", "node4")) {
            Map<String, Object> cfg = config(h);
            assertThat(cfg.get("node-ip")).as(h).isEqualTo(harness.address(h));
            assertThat(cfg.get("flannel-iface")).as(h).isEqualTo("tailscale0");
            if (h.equals("node1")) {
                assertThat(cfg.get("advertise-address")).isEqualTo(firstIp);
                assertThat(list(cfg, "tls-san")).contains(firstIp, "node1.kubani-test.ts.net");
                assertThat(cfg).doesNotContainKey("server");
            } else {
                assertThat(cfg.get("server")).as(h).isEqualTo("https://" + firstIp + ":6443");
            }
            // No address outside the tailnet range anywhere in the configuration.
            Matcher m = ipv4.matcher(harness.read(h, "/etc/rancher/k3s/config.yaml"));
            while (m.find()) {
                int a = Integer.parseInt(m.group(1));
                int b = Integer.parseInt(m.group(2));
                assertThat(a == 100 && b >= 64 && b <= 127).as(h + ": " + m.group() + " is a Tailscale address").isTrue();
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("Property 3: every node receives its join token through a 0600 token file; the local copy is vault-encrypted")
    void property3Credentials() throws IOException {
        String cluster = harness.read("node1", "/etc/rancher/k3s/cluster-token").trim();
        String agent = harness.read("node1", "/etc/rancher/k3s/agent-token").trim();
        assertThat(cluster).matches("[A-Za-z0-9]{64}");
        assertThat(agent).matches("[A-Za-z0-9]{64}").isNotEqualTo(cluster);
        assertThat(mode("node1", "/etc/rancher/k3s/cluster-token")).isEqualTo("600 root");
        assertThat(config("node1")).containsEntry("token-file", "/etc/rancher/k3s/cluster-token")
                .containsEntry("agent-token-file", "/etc/rancher/k3s/agent-token");
        for (String h : List.of("node2", "node3", "node4")) {
            assertThat(harness.read(h, "/etc/rancher/k3s/agent-token").trim()).as(h).isEqualTo(agent);
            assertThat(mode(h, "/etc/rancher/k3s/agent-token")).as(h).isEqualTo("600 root");
            assertThat(harness.exec(h, "test", "-e", "/etc/rancher/k3s/cluster-token").rc())
                    .as(h + " (agent) has no server token").isNotZero();
            assertThat(config(h)).containsEntry("token-file", "/etc/rancher/k3s/agent-token");
        }
        for (String h : List.of("node1", "node2", "node3", "node4")) {
            assertThat(mode(h, "/etc/rancher/k3s/config.yaml")).isEqualTo("600 root");
            assertThat(harness.read(h, "/etc/rancher/k3s/config.yaml")).doesNotContain(cluster, agent);
        }
        Path vault = work.resolve("vault/tokens.yml");
        assertThat(Files.readString(vault)).startsWith("$ANSIBLE_VAULT;1.2;AES256;kubani").doesNotContain(cluster);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(vault)))
                .isEqualTo("rw-------");
        Proc.Result view = Proc.run(work, AnsibleRun.env(work), 60, "ansible-vault", "view",
                "--vault-id", "kubani@" + work.resolve("vault/password"), vault.toString());
        assertThat(view.rc()).as(view.out()).isZero();
        assertThat(view.out()).contains("k3s_cluster_token: " + cluster, "k3s_agent_token: " + agent);
    }

    @Test
    @Order(4)
    @DisplayName("Property 5: tailscale is checked (installed, running, logged in, IP as inventoried) on every node before any K3s change")
    void property5TailscaleFirst() {
        for (AnsibleRun.Outcome run : List.of(firstRun, addNode)) {
            List<Map<String, Object>> ev = run.events();
            for (String h : run == firstRun ? List.of("node1", "node2", "node3") : List.of("node4")) {
                int checked = -1;
                int firstK3s = Integer.MAX_VALUE;
                for (int i = 0; i < ev.size(); i++) {
                    Map<String, Object> e = ev.get(i);
                    if (!h.equals(e.get("host"))) {
                        continue;
                    }
                    if (CHECKS.equals(e.get("task")) && "ok".equals(e.get("event"))) {
                        checked = i;
                    }
                    Object role = e.get("role");
                    if (role != null && role.toString().startsWith("k3s_") && firstK3s == Integer.MAX_VALUE) {
                        firstK3s = i;
                    }
                }
                assertThat(checked).as(h + " tailscale checked").isGreaterThanOrEqualTo(0);
                assertThat(checked).as(h + " checked before any K3s task").isLessThan(firstK3s);
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("Property 6: each joining node proves it reaches the first server over its Tailscale IP")
    void property6Reachability() {
        // The one check step includes the TCP dial to the first server for every other node (the
        // probe dials, the step fails on no connection: negativeUnreachable shows that side).
        for (String h : List.of("node2", "node3")) {
            assertThat(firstRun.events("ok", h).stream().anyMatch(e -> CHECKS.equals(e.get("task")))).as(h).isTrue();
        }
        assertThat(addNode.events("ok", "node4").stream().anyMatch(e -> CHECKS.equals(e.get("task")))).isTrue();
    }

    @Test
    @Order(6)
    @DisplayName("Property 7: add_node.yml runs the provisioning plays on the new node and the first server only, with the same result")
    void property7AddNodeSameProvisioning() throws IOException {
        assertThat(Files.readString(Repo.playbook("add_node.yml"))).contains("import_playbook: provision_cluster.yml");
        assertSucceeded(addNode, "node1", "node4");
        assertThat(addNode.stats().keySet()).containsExactlyInAnyOrder("localhost", "node1", "node4");
        assertThat(addNode.stat("node1", "changed")).as("the first server is only read").isZero();
        // A full site.yml run afterwards finds node4 exactly as provisioning would leave it.
        assertThat(secondRun.stat("node4", "changed")).as(secondRun.out()).isZero();
    }

    @Test
    @Order(7)
    @DisplayName("Property 9: nodes of the same role get the same networking configuration")
    void property9Consistency() {
        List<String> keys = List.of("flannel-iface", "server", "token-file");
        Map<String, Object> ref = config("node2");
        for (String h : List.of("node3", "node4")) {
            Map<String, Object> cfg = config(h);
            for (String k : keys) {
                assertThat(cfg.get(k)).as(h + " " + k).isEqualTo(ref.get(k));
            }
            assertThat(list(cfg, "kubelet-arg").subList(1, 3)).isEqualTo(list(ref, "kubelet-arg").subList(1, 3));
            Set<String> keysOf = new java.util.TreeSet<>(cfg.keySet());
            Set<String> refKeys = new java.util.TreeSet<>(ref.keySet());
            keysOf.remove("node-taint");
            refKeys.remove("node-taint");
            assertThat(keysOf).as(h + " has the same configuration keys as node2").isEqualTo(refKeys);
        }
        for (String h : List.of("node1", "node2", "node3", "node4")) {
            assertThat(config(h).keySet()).as(h + ": every key is a real K3s flag").isSubsetOf(K3S_FLAGS);
        }
    }

    @Test
    @Order(8)
    @DisplayName("Property 11: every node gets kubelet system-reserved and kube-reserved (workstation default 2 CPU / 4Gi)")
    void property11Reservations() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("node1", "system-reserved=cpu=500m,memory=512Mi");
        expected.put("node2", "system-reserved=cpu=500m,memory=512Mi");
        expected.put("node3", "system-reserved=cpu=2,memory=4Gi");
        expected.put("node4", "system-reserved=cpu=4,memory=8Gi");
        expected.forEach((h, sys) -> assertThat(list(config(h), "kubelet-arg")).as(h)
                .contains(sys, "kube-reserved=cpu=250m,memory=256Mi")
                .anyMatch(a -> a.startsWith("eviction-hard=")));
    }

    @Test
    @Order(9)
    @DisplayName("Property 12: workers are labelled as workers, reserved, and workstations tainted against monopolising pods")
    void property12WorkerProtection() {
        for (String h : List.of("node2", "node3", "node4")) {
            Map<String, Object> cfg = config(h);
            assertThat(list(cfg, "node-label")).as(h).contains("kubani.dev/role=worker");
            assertThat(list(cfg, "kubelet-arg")).as(h).anyMatch(a -> a.startsWith("system-reserved="));
        }
        assertThat(list(config("node3"), "node-taint")).contains("kubani.dev/workstation=true:PreferNoSchedule");
        assertThat(list(config("node4"), "node-taint")).contains("kubani.dev/workstation=true:PreferNoSchedule");
        assertThat(list(config("node2"), "node-taint")).isEmpty();
    }

    @Test
    @Order(10)
    @DisplayName("Property 17: a second run of site.yml reports changed=0 on every host")
    void property17Idempotency() {
        assertSucceeded(secondRun, "node1", "node2", "node3", "node4");
        for (String h : List.of("node1", "node2", "node3", "node4")) {
            assertThat(secondRun.stat(h, "changed")).as(h + "\n" + secondRun.out()).isZero();
        }
        assertThat(firstRun.stat("node2", "changed")).as("the first run did change things").isPositive();
    }

    @Test
    @Order(10)
    @DisplayName("the node's manifest lists the files Kubani manages, so a converged worker's re-run decides its files without asking the node again")
    @SuppressWarnings("unchecked")
    void manifestLetsTheReRunSkipFileWrites() {
        Map<String, Object> manifest = new org.yaml.snakeyaml.Yaml().load(harness.read("node2", "/var/lib/kubani/managed.json"));
        assertThat(manifest).containsEntry("/etc/rancher/k3s/config.yaml", "file")
                .containsEntry("/etc/rancher/k3s/agent-token", "file")
                .containsEntry("/usr/local/libexec/kubani/tailscale-iface-hook", "file")
                .containsEntry("/etc/systemd/system/k3s-agent.service.d/10-kubani-tailscale.conf", "absent")
                .containsEntry("/etc/sysctl.d/90-kubani-k3s.conf", "file");
        assertThat(mode("node2", "/var/lib/kubani/managed.json")).isEqualTo("644 root");
        assertThat(manifest).as("the enable link of the resilience unit is observed, so its state is probed too")
                .containsEntry("/etc/systemd/system/sys-subsystem-net-devices-tailscale0.device.wants/kubani-tailscale-watch.service",
                        "observed");
        // The converged worker's whole join include and the resilience install are one skipped step each:
        // no kubani_files run (and so no remote call) for either.
        for (String task : List.of("Join the cluster and keep the node in sync", "Install and enable the hook and its unit, and check the MTUs")) {
            assertThat(secondRun.events("skipped", "node2")).as(task).anyMatch(e -> task.equals(e.get("task")));
        }
        for (String event : List.of("ok", "changed", "skipped")) {
            assertThat(secondRun.events(event, "node2")).as(event + " events of kubani_files steps on the re-run")
                    .noneMatch(e -> String.valueOf(e.get("task")).startsWith("Write the K3s files")
                            || String.valueOf(e.get("task")).startsWith("Install the hook and its unit"));
        }
        for (String event : List.of("ok", "skipped")) {
            assertThat(secondRun.events(event, "node2")).as("the resilience role decided from the prerequisites probe, without its own")
                    .noneMatch(e -> String.valueOf(e.get("task")).startsWith("Read the state of the files this role manages, the interface MTU"));
        }
    }

    @Test
    @Order(11)
    @DisplayName("Property 18: GPU hosts get the nvidia taint and label, and only they run the GPU role (check mode: no NVIDIA packages here)")
    void property18NodeSpecific() {
        assertThat(list(config("node4"), "node-taint")).contains("nvidia.com/gpu=true:NoSchedule");
        assertThat(list(config("node4"), "node-label")).contains("kubani.dev/gpu=true", "gpu=true");
        for (String h : List.of("node1", "node2", "node3")) {
            assertThat(list(config(h), "node-taint")).noneMatch(t -> t.startsWith("nvidia.com/gpu"));
            assertThat(list(config(h), "node-label")).doesNotContain("kubani.dev/gpu=true");
        }
        AnsibleRun.Outcome gpu = play("site.yml", "--check", "--tags", "gpu");
        assertThat(gpu.stat("node4", "failed")).as(gpu.out()).isEqualTo(1);
        assertThat(gpu.events("failed", "node4")).singleElement()
                .satisfies(e -> assertThat((String) e.get("msg")).contains("node4: step 'nvidia driver' failed"));
        for (String h : List.of("node1", "node2", "node3")) {
            assertThat(gpu.stat(h, "failed")).isZero();
            assertThat(gpu.stat(h, "changed")).isZero();
            assertThat(gpu.events("ok", h)).noneMatch(e -> "gpu_support".equals(e.get("role")));
        }
    }

    @Test
    @Order(12)
    @DisplayName("Resilience: every node has the tailscale0 hook unit; K3s is ordered after the interface; MTU leaves room for flannel")
    @SuppressWarnings("unchecked")
    void resilienceUnit() {
        for (String h : List.of("node1", "node2", "node3", "node4")) {
            String svc = h.equals("node1") ? "k3s" : "k3s-agent";
            String unit = harness.read(h, "/etc/systemd/system/kubani-tailscale-watch.service");
            assertThat(unit).contains("WantedBy=sys-subsystem-net-devices-tailscale0.device",
                    "ExecStart=/usr/local/libexec/kubani/tailscale-iface-hook");
            String hook = harness.read(h, "/usr/local/libexec/kubani/tailscale-iface-hook");
            assertThat(hook).contains("SERVICE=" + svc, "systemctl try-restart");
            assertThat(mode(h, "/usr/local/libexec/kubani/tailscale-iface-hook")).isEqualTo("755 root");
            assertThat(harness.exec(h, "sh", "-n", "/usr/local/libexec/kubani/tailscale-iface-hook").rc()).isZero();
            // K3s's ordering after tailscaled and the interface is in its unit, not in a drop-in.
            assertThat(harness.read(h, "/etc/systemd/system/" + svc + ".service"))
                    .contains("After=network-online.target tailscaled.service sys-subsystem-net-devices-tailscale0.device");
            assertThat(harness.exec(h, "test", "-e", "/etc/systemd/system/" + svc + ".service.d/10-kubani-tailscale.conf")
                    .rc()).isNotZero();
        }
        // Without systemd as PID 1 the roles say so instead of failing.
        assertThat(firstRun.out()).contains("systemd is not PID 1");
        assertThat(firstRun.events("ok", "node2")).as("the resilience role says its unit is not enabled")
                .anyMatch(e -> "Report that the unit is not enabled without systemd".equals(e.get("task")));
        // The hook, its unit and the old drop-in went in the K3s files' module run: one remote
        // step per node, and the resilience role's own write did not run.
        for (String h : List.of("node1", "node2", "node3")) {
            assertThat(firstRun.events("changed", h)).as(h).filteredOn(e -> String.valueOf(e.get("task")).startsWith(K3S_FILES))
                    .singleElement().satisfies(e -> assertThat((List<Object>) e.get("paths"))
                            .contains("/etc/rancher/k3s/config.yaml", "/usr/local/libexec/kubani/tailscale-iface-hook",
                                    "/etc/systemd/system/kubani-tailscale-watch.service"));
            for (String event : List.of("ok", "changed")) {
                assertThat(firstRun.events(event, h)).as(h).noneMatch(e -> HOOK_FILES.equals(e.get("task")));
            }
        }
    }

    @Test
    @Order(13)
    @DisplayName("Tags: Tailscale is checked on every run; a run without the resilience role's tags leaves the hook alone; --tags resilience writes it by itself")
    void resilienceFilesFollowTheirTags() {
        Proc.Result rm = harness.exec("node3", "rm", "-f", "/usr/local/libexec/kubani/tailscale-iface-hook");
        assertThat(rm.rc()).as(rm.out()).isZero();
        AnsibleRun.Outcome k3sOnly = play("provision_cluster.yml", "--tags", "k3s_control_plane,k3s_worker", "--skip-tags", K3S_SKIP);
        assertSucceeded(k3sOnly, "node1", "node2", "node3", "node4");
        assertThat(harness.exec("node3", "test", "-e", "/usr/local/libexec/kubani/tailscale-iface-hook").rc())
                .as("--tags k3s_worker does not write the resilience role's hook").isNotZero();
        for (String h : List.of("node1", "node2", "node3", "node4")) {
            // Tailscale first whatever the tags, and the roles decide from that probe: node1's
            // config.yaml keeps its MagicDNS name in tls-san (without the probe it was dropped).
            assertThat(k3sOnly.events("ok", h)).as(h).anyMatch(e -> CHECKS.equals(e.get("task")));
            assertThat(k3sOnly.stat(h, "changed")).as(h + "\n" + k3sOnly.out()).isZero();
        }
        assertThat(list(config("node1"), "tls-san")).contains("node1.kubani-test.ts.net");
        AnsibleRun.Outcome resilience = play("provision_cluster.yml", "--tags", "resilience");
        assertSucceeded(resilience, "node1", "node2", "node3", "node4");
        assertThat(resilience.events("changed", "node3")).extracting(e -> e.get("task"), e -> e.get("paths"))
                .containsExactly(tuple(HOOK_FILES, List.of("/usr/local/libexec/kubani/tailscale-iface-hook")));
        for (String h : List.of("node1", "node2", "node4")) {
            assertThat(resilience.stat(h, "changed")).as(h + "\n" + resilience.out()).isZero();
        }
        assertThat(mode("node3", "/usr/local/libexec/kubani/tailscale-iface-hook")).isEqualTo("755 root");
    }

    // --- negative tests: one run with three broken hosts, each broken its own way (node2: IP
    // differs, node3: logged out, node4: cannot reach the server). Each fails naming itself and
    // its step; node1, which is fine, completes every play.

    AnsibleRun.Outcome negative;

    synchronized AnsibleRun.Outcome negativeRun() {
        if (negative == null) {
            String wrong = harness.address("node2").replaceAll("\\.\\d+$", ".99");
            try {
                harness.tailscale("node2", "ip", wrong);
                harness.tailscale("node3", "logged-out");
                harness.cut("node4");
                negative = play("provision_cluster.yml", "--skip-tags", K3S_SKIP);
            } finally {
                harness.tailscale("node2", "ip", harness.address("node2"));
                harness.tailscale("node3", "running");
                harness.uncut("node4");
            }
        }
        return negative;
    }

    void assertHostFailed(AnsibleRun.Outcome run, String bad, String step, String fix) {
        assertThat(run.rc()).as(run.out()).isNotZero();
        assertThat(run.stat(bad, "failed")).as(run.out()).isEqualTo(1);
        assertThat(run.events("failed", bad)).singleElement().satisfies(e ->
                assertThat((String) e.get("msg")).contains(bad + ": step '" + step + "' failed").contains(fix));
        assertThat(run.events("ok", bad)).as(bad + " made no K3s change")
                .noneMatch(e -> String.valueOf(e.get("role")).startsWith("k3s_"));
        assertThat(run.stat("node1", "failed")).as("node1 completes").isZero();
        assertThat(run.stat("node1", "unreachable")).isZero();
        assertThat(run.events("ok", "node1")).as("node1 reached the last play")
                .anyMatch(e -> "tailscale_resilience".equals(e.get("role")));
    }

    @Test
    @Order(20)
    @DisplayName("Property 5 / Property 4: a node whose tailscale is logged out fails, naming itself and the step; the others complete")
    void negativeLoggedOut() {
        assertHostFailed(negativeRun(), "node3", "tailscale logged in", "tailscale up");
    }

    @Test
    @Order(21)
    @DisplayName("Property 5 / Property 4: a node whose Tailscale IP differs from the inventory fails, naming itself and the step; the others complete")
    void negativeIpMismatch() {
        AnsibleRun.Outcome run = negativeRun();
        assertHostFailed(run, "node2", "tailscale ip matches inventory", "tailscale ip -4");
        assertThat((String) run.events("failed", "node2").get(0).get("msg")).contains(".99");
    }

    @Test
    @Order(22)
    @DisplayName("Property 6 / Property 4: a node that cannot reach the first server fails, naming itself and the step; the others complete")
    void negativeUnreachable() {
        assertHostFailed(negativeRun(), "node4", "reach first server over tailscale", "tailscale ping");
    }

    @Test
    @Order(23)
    @DisplayName("Property 17: once fixed, the broken hosts converge; drift in a managed file (and an old drop-in) is found and repaired, nothing else changes")
    void recoversAfterFixAndRepairsDrift() {
        negativeRun();
        Proc.Result drift = harness.exec("node3", "sh", "-c", "echo '# drift' >> /etc/rancher/k3s/config.yaml;"
                + " chmod 0700 /usr/local/libexec/kubani/tailscale-iface-hook;"
                // The drop-in earlier versions wrote (the K3s unit has its ordering now).
                + " mkdir -p /etc/systemd/system/k3s-agent.service.d;"
                + " echo '[Unit]' > /etc/systemd/system/k3s-agent.service.d/10-kubani-tailscale.conf");
        assertThat(drift.rc()).as(drift.out()).isZero();
        AnsibleRun.Outcome again = play("provision_cluster.yml", "--skip-tags", K3S_SKIP);
        assertSucceeded(again, "node1", "node2", "node3", "node4");
        // kubani_files writes only what differs, and says which paths it changed.
        assertThat(again.events("changed", "node3")).extracting(e -> e.get("task"), e -> e.get("paths"))
                .containsExactly(tuple(K3S_FILES, List.of("/etc/rancher/k3s/config.yaml",
                        "/usr/local/libexec/kubani/tailscale-iface-hook",
                        "/etc/systemd/system/k3s-agent.service.d/10-kubani-tailscale.conf")));
        for (String h : List.of("node1", "node2", "node4")) {
            assertThat(again.stat(h, "changed")).as(h + "\n" + again.out()).isZero();
        }
        assertThat(harness.read("node3", "/etc/rancher/k3s/config.yaml")).doesNotContain("# drift");
        assertThat(mode("node3", "/usr/local/libexec/kubani/tailscale-iface-hook")).isEqualTo("755 root");
        assertThat(harness.exec("node3", "test", "-e", "/etc/systemd/system/k3s-agent.service.d/10-kubani-tailscale.conf")
                .rc()).isNotZero();
    }

    @Test
    @Order(24)
    @DisplayName("a kernel module that cannot be loaded fails that node, naming it, the step, the modules and the fix")
    void kernelModuleMissing() {
        // The last run of the class on node2. The boot-time files are written after the modules
        // load, so a module that cannot be loaded never reaches the modules file (where it would
        // fail systemd-modules-load at every boot).
        AnsibleRun.Outcome run = play("provision_cluster.yml", "--tags", "prerequisites", "--limit", "node2",
                "-e", "{\"prerequisites_kernel_modules\": [\"overlay\", \"kubani_no_such_module\"]}");
        assertThat(run.rc()).as(run.out()).isNotZero();
        assertThat(run.stat("node2", "failed")).as(run.out()).isEqualTo(1);
        assertThat(run.events("failed", "node2")).singleElement().satisfies(e -> {
            assertThat(e.get("task")).isEqualTo("Fail when a kernel module could not be loaded");
            assertThat((String) e.get("msg"))
                    .contains("node2: step 'load kernel modules' failed (modprobe -a kubani_no_such_module)")
                    .contains("kubani_no_such_module not found").contains("Fix: install the kernel's modules package");
        });
        assertThat(harness.read("node2", "/etc/modules-load.d/kubani-k3s.conf")).contains("overlay")
                .doesNotContain("kubani_no_such_module");
    }

    @Test
    @Order(30)
    @DisplayName("Property 3: no token appears in any output, event stream or non-secret file of any run")
    void noSecretsInOutput() throws IOException {
        String cluster = harness.read("node1", "/etc/rancher/k3s/cluster-token").trim();
        String agent = harness.read("node1", "/etc/rancher/k3s/agent-token").trim();
        assertThat(Files.readString(work.resolve("output.log"))).doesNotContain(cluster, agent);
        try (Stream<Path> files = Files.list(work)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("events-")).toList()) {
                assertThat(Files.readString(p)).as(p.toString()).doesNotContain(cluster, agent);
            }
        }
        // Every task that touched a token was censored in the events.
        for (Map<String, Object> e : secondRun.events()) {
            if (String.valueOf(e.get("task")).contains("token file") && "failed".equals(e.get("event"))) {
                assertThat(e.get("msg")).isEqualTo("censored (no_log)");
            }
        }
    }
}
