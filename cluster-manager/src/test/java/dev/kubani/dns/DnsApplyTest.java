package dev.kubani.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.testutil.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster-mgr dns apply} end to end against a local server speaking Cloudflare's v4 API. */
class DnsApplyTest {
    static final String IP = "100.64.0.10";
    @TempDir
    Path dir;
    FakeCloudflare cf;

    @BeforeEach
    void start() throws Exception {
        cf = new FakeCloudflare("example.com", 2);
        // Unrelated records first, so the ones that matter are on later pages (per_page capped at 2).
        cf.addRecord("A", "www.example.com", "203.0.113.7", true);
        cf.addRecord("A", "mail.example.com", "203.0.113.8", false);
        cf.addRecord("CNAME", "docs.example.com", "example.github.io", true);
        cf.addRecord("A", "blog.example.com", "203.0.113.9", true);
        cf.addRecord("A", "auth.example.com", IP, false);
        cf.addRecord("A", "redis.example.com", "100.64.0.99", false);
    }

    @AfterEach
    void stop() {
        cf.close();
    }

    CliRunner cli() {
        return new CliRunner(dir).env("CLOUDFLARE_API_TOKEN", FakeCloudflare.TOKEN);
    }

    CliRunner.Result apply(CliRunner r, String... extra) {
        String[] base = {"dns", "apply", "--domain", "sub.example.com", "--ip", IP, "--api-url", cf.baseUrl()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return r.run(all);
    }

    @Test
    @DisplayName("dry run: lists create/update/unchanged across pages and changes nothing")
    void dryRun() {
        // The domain sub.example.com lives in the zone example.com: the zone is found by its parent.
        cf.addRecord("A", "auth.sub.example.com", IP, false);
        cf.addRecord("A", "redis.sub.example.com", "100.64.0.99", false);
        CliRunner.Result r = apply(cli());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Zone example.com");
        assertThat(r.out()).containsPattern("postgres\\.sub\\.example\\.com\\s+-\\s+100\\.64\\.0\\.10\\s+create");
        assertThat(r.out()).containsPattern("redis\\.sub\\.example\\.com\\s+100\\.64\\.0\\.99\\s+100\\.64\\.0\\.10\\s+update");
        assertThat(r.out()).containsPattern("auth\\.sub\\.example\\.com\\s+100\\.64\\.0\\.10\\s+100\\.64\\.0\\.10\\s+unchanged");
        assertThat(r.out()).contains("dry run: 2 changes planned, nothing changed; run again with --yes to apply");
        assertThat(cf.writes()).isEmpty();
        assertThat(cf.calls).filteredOn(c -> c.contains("dns_records")).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    @DisplayName("--yes creates and updates; the second run changes nothing and says so")
    void applyThenIdempotent() {
        CliRunner.Result r = cli().run("dns", "apply", "--domain", "example.com", "--ip", IP, "--api-url", cf.baseUrl(), "--yes");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("created postgres.example.com -> 100.64.0.10")
                .contains("updated redis.example.com: 100.64.0.99 -> 100.64.0.10")
                .contains("2 records changed");
        assertThat(cf.writes()).hasSize(2);
        assertThat(cf.records.values()).filteredOn(n -> n.path("name").asText().matches("(postgres|redis|auth)\\.example\\.com"))
                .allSatisfy(n -> {
                    assertThat(n.path("content").asText()).isEqualTo(IP);
                    assertThat(n.path("proxied").asBoolean()).isFalse();
                }).hasSize(3);

        CliRunner.Result again = cli().run("dns", "apply", "--domain", "example.com", "--ip", IP, "--api-url", cf.baseUrl(), "--yes");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("nothing changed: all 3 records already point at 100.64.0.10");
        assertThat(cf.writes()).hasSize(2);
    }

    @Test
    @DisplayName("--output json reports the plan and what was applied")
    void json() {
        CliRunner.Result r = cli().run("-o", "json", "dns", "apply", "--domain", "example.com", "--ip", IP, "--api-url", cf.baseUrl());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"dryRun\" : true").contains("\"action\" : \"create\"").contains("\"applied\" : false");
    }

    @Test
    @DisplayName("bad token: Cloudflare's error envelope becomes one line with code and message; the token is never echoed")
    void badToken() {
        CliRunner.Result r = new CliRunner(dir).env("CLOUDFLARE_API_TOKEN", "wrong-token-value")
                .run("dns", "apply", "--domain", "example.com", "--ip", IP, "--api-url", cf.baseUrl(), "--yes");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("Cloudflare API error 9109: Invalid access token").contains("Zone:DNS:Edit");
        assertThat(r.out() + r.err()).doesNotContain("wrong-token-value");
        assertThat(cf.writes()).isEmpty();
    }

    @Test
    @DisplayName("an error envelope on create is one line naming the record, code and message")
    void createRefused() {
        cf.failCreate = new Object[] {81053, "An A, AAAA, or CNAME record with that host already exists."};
        CliRunner.Result r = cli().run("dns", "apply", "--domain", "example.com", "--ip", IP, "--api-url", cf.baseUrl(), "--yes");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("while creating postgres.example.com: Cloudflare API error 81053: An A, AAAA, or CNAME record");
        assertThat(r.out() + r.err()).doesNotContain(FakeCloudflare.TOKEN);
    }

    @Test
    @DisplayName("no token anywhere: exit 2 with how to give one; a token file works and is not echoed")
    void tokenSources() throws Exception {
        CliRunner.Result none = new CliRunner(dir).run("dns", "apply", "--domain", "example.com", "--ip", IP, "--api-url", cf.baseUrl());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("set CLOUDFLARE_API_TOKEN or pass --token-file FILE");

        Path f = dir.resolve("cf-token");
        Files.writeString(f, FakeCloudflare.TOKEN + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        CliRunner.Result viaFile = new CliRunner(dir)
                .run("dns", "apply", "--domain", "example.com", "--ip", IP, "--api-url", cf.baseUrl(), "--token-file", f.toString());
        assertThat(viaFile.code()).as(viaFile.toString()).isZero();
        assertThat(viaFile.out()).contains("dry run");
        assertThat(viaFile.out() + viaFile.err()).doesNotContain(FakeCloudflare.TOKEN);
    }

    @Test
    @DisplayName("no zone for the domain: exit 1 naming the domain")
    void noZone() {
        CliRunner.Result r = cli().run("dns", "apply", "--domain", "other.org", "--ip", IP, "--api-url", cf.baseUrl());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no active Cloudflare zone for other.org");
    }

    @Test
    @DisplayName("bad input: no domain, a bad --ip, a bad --api-url are exit 2 with one line")
    void badInput() {
        CliRunner.Result noDomain = cli().run("dns", "apply", "--ip", IP, "--api-url", cf.baseUrl());
        assertThat(noDomain.code()).isEqualTo(2);
        assertThat(noDomain.err()).contains("no domain configured").contains("--domain").contains("config-set domain");
        CliRunner.Result badIp = cli().run("dns", "apply", "--domain", "example.com", "--ip", "300.1.1.1", "--api-url", cf.baseUrl());
        assertThat(badIp.code()).isEqualTo(2);
        assertThat(badIp.err()).contains("--ip 300.1.1.1");
        CliRunner.Result badUrl = cli().run("dns", "apply", "--domain", "example.com", "--ip", IP, "--api-url", "ftp://x");
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--api-url");
    }
}
