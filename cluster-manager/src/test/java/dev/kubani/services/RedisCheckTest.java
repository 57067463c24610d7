package dev.kubani.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.services.CheckResult.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** {@code verify redis} against a real redis-server (Debian's package) on loopback. */
class RedisCheckTest {
    static LocalRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    static RedisCheck check(String host, int port, String user, String password, Duration timeout) {
        return new RedisCheck(new RedisCheck.Settings(host, port, user, timeout, "the test"), Secret.of(password));
    }

    static List<Status> statuses(List<CheckResult> r) {
        return r.stream().map(CheckResult::status).toList();
    }

    static java.util.Set<String> scratchKeys() {
        try (Jedis j = redis.admin()) {
            return j.keys("kubani:verify:*");
        }
    }

    @Test
    @DisplayName("success: AUTH, then SET/GET/DEL of a scratch key that is gone afterwards")
    void success() {
        List<CheckResult> r = check("localhost", redis.port, null, redis.password, Duration.ofSeconds(5)).run();
        assertThat(statuses(r)).as(r.toString()).containsExactly(Status.OK, Status.OK, Status.OK, Status.OK);
        assertThat(r).extracting(CheckResult::check).containsExactly("redis dns", "redis tcp", "redis auth", "redis read-write");
        assertThat(r.get(3).detail()).startsWith("SET, GET and DEL of kubani:verify:");
        assertThat(scratchKeys()).isEmpty();
    }

    @Test
    @DisplayName("wrong password: WRONGPASS becomes a failed auth step with a fix; the password is not shown")
    void wrongPassword() {
        List<CheckResult> r = check("127.0.0.1", redis.port, null, "wrong-one", Duration.ofSeconds(5)).run();
        assertThat(statuses(r)).containsExactly(Status.OK, Status.OK, Status.FAIL, Status.SKIPPED);
        assertThat(r.get(2).detail()).contains("refused the password").contains("WRONGPASS");
        assertThat(r.get(2).fix()).contains("redis-credentials");
        assertThat(r.toString()).doesNotContain("wrong-one").doesNotContain(redis.password);
    }

    @Test
    @DisplayName("closed port: connection refused at the TCP step")
    void closedPort() throws Exception {
        List<CheckResult> r = check("127.0.0.1", LocalServers.freePort(), null, "x", Duration.ofSeconds(5)).run();
        assertThat(statuses(r)).containsExactly(Status.OK, Status.FAIL, Status.SKIPPED, Status.SKIPPED);
        assertThat(r.get(1).detail()).contains("connection refused");
    }

    @Test
    @DisplayName("unresolvable name: the DNS step fails")
    void unresolvable() {
        List<CheckResult> r = check("redis.kubani-test.invalid", 6379, null, "x", Duration.ofSeconds(5)).run();
        assertThat(statuses(r)).containsExactly(Status.FAIL, Status.SKIPPED, Status.SKIPPED, Status.SKIPPED);
        assertThat(r.get(0).detail()).isEqualTo("redis.kubani-test.invalid does not resolve");
    }

    @Test
    @DisplayName("failure halfway: GET refused after SET (ACL), and the scratch key is still deleted")
    void failureHalfwayCleansUp() {
        // A real server-side refusal: an ACL user that may SET and DEL but not GET.
        try (Jedis j = redis.admin()) {
            j.aclSetUser("halfway", "on", ">halfway-pw", "~*", "+@connection", "+set", "+del");
        }
        List<CheckResult> r = check("127.0.0.1", redis.port, "halfway", "halfway-pw", Duration.ofSeconds(5)).run();
        assertThat(statuses(r)).as(r.toString()).containsExactly(Status.OK, Status.OK, Status.OK, Status.FAIL);
        assertThat(r.get(3).detail()).startsWith("GET failed:").contains("NOPERM");
        assertThat(r.get(3).fix()).contains("ACL");
        assertThat(scratchKeys()).as("scratch key left behind").isEmpty();
    }

    @Test
    @DisplayName("failure halfway without DEL rights: the report says the key is left and expires")
    void failureHalfwayReportsLeftover() {
        try (Jedis j = redis.admin()) {
            j.aclSetUser("nodel", "on", ">nodel-pw", "~*", "+@connection", "+set");
        }
        List<CheckResult> r = check("127.0.0.1", redis.port, "nodel", "nodel-pw", Duration.ofSeconds(5)).run();
        assertThat(r.get(3).status()).isEqualTo(Status.FAIL);
        assertThat(r.get(3).detail()).contains("GET failed").contains("could not be deleted").contains("expires within 60s");
        try (Jedis j = redis.admin()) {
            for (String k : j.keys("kubani:verify:*")) {
                assertThat(j.ttl(k)).isBetween(1L, 60L);
                j.del(k);
            }
        }
    }

    @Test
    @DisplayName("a server that accepts but never answers: AUTH gives up after --timeout")
    void boundedTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            long t0 = System.nanoTime();
            List<CheckResult> r = check("127.0.0.1", silent.port(), null, "x", Duration.ofSeconds(1)).run();
            assertThat(statuses(r)).containsExactly(Status.OK, Status.OK, Status.FAIL, Status.SKIPPED);
            assertThat(Duration.ofNanos(System.nanoTime() - t0).toSeconds()).isLessThan(8);
        }
    }
}
