package dev.kubani.tailscale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubani.testutil.CliRunner;
import dev.kubani.testutil.Fixtures;
import dev.kubani.testutil.Seeds;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryTest {
    @TempDir
    Path tmp;

    /** A random tailnet: some machines from the inventory, some not, some offline, odd fields. */
    private static String randomStatus(Random rnd, Map<String, String> expectedMembership, Map<String, String> ips) {
        StringBuilder peers = new StringBuilder();
        int n = 1 + rnd.nextInt(30);
        List<String> inventoryHosts = List.of("nuc", "desktop");
        List<String> inventoryIps = List.of("100.64.0.1", "100.64.0.2");
        for (int i = 0; i < n; i++) {
            String name;
            String ip;
            int pick = rnd.nextInt(4);
            if (pick < 2 && i < 2) {
                name = inventoryHosts.get(i);
                ip = rnd.nextBoolean() ? inventoryIps.get(i) : "100.99.9." + (i + 10); // matched by IP or by name
                expectedMembership.put(name, i == 0 ? "control-plane" : "worker");
            } else {
                name = "m" + i + "-" + Integer.toString(rnd.nextInt(1 << 16), 36);
                ip = "100." + (64 + rnd.nextInt(64)) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(250));
                if (ip.equals("100.64.0.1") || ip.equals("100.64.0.2")) {
                    ip = "100.127.255." + (i + 1);
                }
                expectedMembership.put(name, null);
            }
            ips.put(name, ip);
            if (i > 0) {
                peers.append(',');
            }
            String id = rnd.nextBoolean() ? "\"n" + i + "CNTRL\"" : String.valueOf(Long.MAX_VALUE - i) + "123";
            peers.append("\"nodekey:").append(i).append("\":{\"ID\":").append(id)
                    .append(",\"HostName\":\"").append(name).append("\"")
                    .append(rnd.nextBoolean() ? ",\"DNSName\":\"" + name + ".t.ts.net.\"" : ",\"DNSName\":null")
                    .append(",\"OS\":").append(rnd.nextBoolean() ? "\"linux\"" : "null")
                    .append(",\"TailscaleIPs\":[\"").append(ip).append("\"")
                    .append(rnd.nextBoolean() ? ",\"fd7a:115c:a1e0::" + Integer.toHexString(i + 1) + "\"" : "").append("]")
                    .append(rnd.nextBoolean() ? ",\"Tags\":[\"tag:k8s\"]" : rnd.nextBoolean() ? ",\"Tags\":null" : "")
                    .append(",\"Online\":").append(rnd.nextBoolean())
                    .append(",\"Unknown").append(i).append("\":{\"x\":[1,2,{\"y\":null}]}")
                    .append('}');
        }
        return "{\"Version\":\"1." + (30 + rnd.nextInt(50)) + ".0\",\"BackendState\":\"Running\",\"Self\":{\"HostName\":\"mgmt\","
                + "\"TailscaleIPs\":[\"100.100.100.100\"],\"Online\":true},\"Peer\":{" + peers + "}}";
    }

    @Test
    @DisplayName("Property 19: discover returns every tailnet machine with its hostname, IP addresses and cluster membership")
    void property19TailscaleNodeDiscovery() {
        Path inv = Fixtures.inventory(tmp);
        CliRunner cli = new CliRunner(tmp);
        Seeds.forAll("Property 19", 100, rnd -> {
            Map<String, String> membership = new LinkedHashMap<>();
            Map<String, String> ips = new LinkedHashMap<>();
            String json = randomStatus(rnd, membership, ips);
            try {
                Path f = tmp.resolve("status.json");
                Files.writeString(f, json);
                CliRunner.Result r = cli.run("discover", "--status-file", f.toString(), "--inventory", inv.toString(),
                        "--output", "json");
                assertThat(r.code()).as(r.toString()).isZero();
                JsonNode rows = new ObjectMapper().readTree(r.out());
                assertThat(rows.size()).isEqualTo(membership.size() + 1);
                Map<String, JsonNode> byName = new LinkedHashMap<>();
                rows.forEach(row -> byName.put(row.get("hostname").asText(), row));
                assertThat(byName.get("mgmt").get("self").asBoolean()).isTrue();
                membership.forEach((name, member) -> {
                    JsonNode row = byName.get(name);
                    assertThat(row).as(name).isNotNull();
                    assertThat(row.get("ipv4").asText()).isEqualTo(ips.get(name));
                    assertThat(row.get("cluster").isNull() ? null : row.get("cluster").asText()).as(name).isEqualTo(member);
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void tableFiltersByGlobAndOnlineState() throws IOException {
        Path inv = Fixtures.inventory(tmp);
        Path f = tmp.resolve("s.json");
        Files.writeString(f, Fixtures.resource("tailscale/status-1.76.json"));
        CliRunner cli = new CliRunner(tmp);
        CliRunner.Result r = cli.run("discover", "--status-file", f.toString(), "--inventory", inv.toString(),
                "--filter", "d*");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("desktop").contains("dgx-spark").doesNotContain("rpi-kitchen").contains("CLUSTER")
                .contains("worker");
        r = cli.run("discover", "--status-file", f.toString(), "--inventory", inv.toString(), "--online-only",
                "--no-cluster-status");
        assertThat(r.out()).doesNotContain("pixel-8").doesNotContain("old-nas").doesNotContain("CLUSTER").contains("nuc");
        assertThat(r.out()).doesNotContain("\u001b[");
    }

    private Path standIn(String body) throws IOException {
        // A stand-in for the tailscale CLI (not for K3s): prints what a given tailscaled state prints.
        Path bin = tmp.resolve("tailscale");
        Files.writeString(bin, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void explainsEveryWayTailscaleCanBeUnavailable() throws IOException {
        CliRunner cli = new CliRunner(tmp).env("KUBANI_TAILSCALE_SOCKET", tmp.resolve("no.sock").toString());
        CliRunner.Result r = cli.env("KUBANI_TAILSCALE", tmp.resolve("missing/tailscale").toString()).run("discover");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("tailscale is not installed").contains("tailscale up");

        Path b = standIn("echo 'failed to connect to local tailscaled; it doesn'\\''t appear to be running' >&2; exit 1");
        r = cli.env("KUBANI_TAILSCALE", b.toString()).run("discover");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("tailscaled is not running").contains("systemctl enable --now tailscaled");

        b = standIn("echo '{\"BackendState\":\"NeedsLogin\",\"Self\":null,\"Peer\":null}'");
        r = cli.env("KUBANI_TAILSCALE", b.toString()).run("discover");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("not logged in").contains("sudo tailscale up");

        b = standIn("echo '{\"BackendState\":\"Stopped\"}'");
        r = cli.env("KUBANI_TAILSCALE", b.toString()).run("discover");
        assertThat(r.err()).contains("stopped").contains("tailscale up");

        b = standIn("echo 'garbage'");
        r = cli.env("KUBANI_TAILSCALE", b.toString()).run("discover");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().lines().count()).isEqualTo(1);

        b = standIn("cat '" + Fixtures.class.getResource("/dev/kubani/tailscale/status-1.76.json").getPath() + "'");
        r = cli.env("KUBANI_TAILSCALE", b.toString()).run("discover", "--no-cluster-status");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dgx-spark");
    }

    @Test
    void readsTheLocalApiSocketWhenItAnswers() throws Exception {
        Path sock = tmp.resolve("tailscaled.sock");
        byte[] body = Fixtures.resource("tailscale/status-1.76.json").getBytes(StandardCharsets.UTF_8);
        List<String> requests = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    c.read(buf);
                    requests.add(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
                    String head = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
                    c.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
                    c.write(ByteBuffer.wrap(body));
                } catch (IOException e) {
                    requests.add("error " + e);
                }
            });
            t.start();
            TailnetStatus s = new TailscaleClient(Map.of("KUBANI_TAILSCALE_SOCKET", sock.toString())).status(null);
            t.join(5000);
            assertThat(s.peers()).hasSize(6);
            assertThat(requests.get(0)).startsWith("GET /localapi/v0/status HTTP/1.0");
        }
    }
}
