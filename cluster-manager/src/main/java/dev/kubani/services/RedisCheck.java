package dev.kubani.services;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * {@code verify redis}: DNS, TCP, AUTH, then SET, GET and DEL of a scratch key. The key is
 * deleted even when a step fails halfway, and it expires after a minute in any case.
 */
public final class RedisCheck {
    public static final String CHECK = "redis";
    private static final int SCRATCH_TTL_SECONDS = 60;

    /** Where to connect; {@code user} is null for the default user (AUTH with the password only). */
    public record Settings(String host, int port, String user, Duration timeout, String credentialsHint) {
    }

    private final Settings s;
    private final Secret password;

    public RedisCheck(Settings settings, Secret password) {
        this.s = settings;
        this.password = password;
    }

    public List<CheckResult> run() {
        Steps steps = new Steps();
        String hostPort = s.host() + ":" + s.port();
        Network.dnsAndTcp(steps, CHECK, s.host(), s.port(), s.timeout(), "redis");
        Jedis[] jedis = new Jedis[1];
        try {
            String authTarget = (s.user() == null ? "" : s.user() + "@") + hostPort;
            steps.graded(CHECK + " auth", authTarget, start -> auth(jedis, start, authTarget));
            String key = "kubani:verify:" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
            steps.step(CHECK + " read-write", key, () -> readWrite(jedis[0], key));
        } finally {
            if (jedis[0] != null) {
                try {
                    jedis[0].close();
                } catch (JedisException ignored) {
                    // the connection is gone already
                }
            }
        }
        return steps.results();
    }

    /**
     * Connects and logs in: Jedis sends the credentials itself (AUTH, or HELLO with AUTH) as the
     * first command, so a refused password surfaces here.
     */
    private Jedis open(String pw) {
        int ms = (int) s.timeout().toMillis();
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(ms)
                .socketTimeoutMillis(ms)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        if (pw != null && !pw.isEmpty()) {
            b.password(pw);
            if (s.user() != null) {
                b.user(s.user());
            }
        }
        Jedis j = new Jedis(new HostAndPort(s.host(), s.port()), b.build());
        try {
            j.connect();
            return j;
        } catch (RuntimeException e) {
            j.close();
            throw e;
        }
    }

    private CheckResult auth(Jedis[] holder, long start, String target) throws CheckFailure {
        String pw = password.get();
        try {
            holder[0] = open(pw);
            holder[0].ping();
            if (pw == null || pw.isEmpty()) {
                return CheckResult.warn(CHECK + " auth", target, "the server answers without a password",
                        Steps.elapsed(start), "enable auth in the redis HelmRelease (auth.enabled: true, existingSecret: redis-credentials)");
            }
            return CheckResult.ok(CHECK + " auth", target, "authenticated" + (s.user() == null ? "" : " as " + s.user()),
                    Steps.elapsed(start));
        } catch (JedisConnectionException e) {
            throw new CheckFailure("no answer to AUTH: " + Errors.describe(e),
                    "check that " + s.host() + ":" + s.port() + " is Redis (Traefik's redis entry point) and the redis pod "
                            + "is ready ('cluster-mgr verify pods')");
        } catch (JedisDataException e) {
            String m = Errors.firstLine(e.getMessage());
            if (m.startsWith("WRONGPASS") || m.contains("invalid password") || m.contains("invalid username-password")) {
                throw new CheckFailure("the server refused the password" + (s.user() == null ? "" : " for user " + s.user())
                        + " (WRONGPASS)", "the password from " + s.credentialsHint() + " does not match the server's: "
                        + "check Secret cache/redis-credentials key 'redis-password', then restart the redis pod so it reads the new one");
            }
            if (m.contains("without any password configured")) {
                throw new CheckFailure("the server has no password set", "enable auth in the redis HelmRelease "
                        + "(auth.enabled: true, existingSecret: redis-credentials)");
            }
            if (m.startsWith("NOAUTH")) {
                throw new CheckFailure("the server wants a password and none was given", "pass --redis-password-file FILE or set REDISCLI_AUTH");
            }
            throw new CheckFailure("AUTH failed: " + m, "check the credentials in " + s.credentialsHint());
        }
    }

    private String readWrite(Jedis j, String key) throws CheckFailure {
        String value = "written by cluster-mgr verify at " + java.time.Instant.now();
        boolean set = false;
        String doing = "SET";
        CheckFailure failure = null;
        try {
            j.set(key, value, SetParams.setParams().ex(SCRATCH_TTL_SECONDS));
            set = true;
            doing = "GET";
            String back = j.get(key);
            if (!value.equals(back)) {
                throw new CheckFailure("GET " + key + " returned " + (back == null ? "nothing" : "another value"),
                        "check the redis pod's logs ('kubectl logs -n cache redis-master-0')");
            }
            doing = "DEL";
            j.del(key);
            set = false;
            return "SET, GET and DEL of " + key + " worked";
        } catch (JedisException e) {
            String m = Errors.firstLine(e.getMessage());
            String fix = m.startsWith("NOPERM") ? "the Redis user may not run " + doing + " on kubani:* keys: grant it in the ACL"
                    : m.startsWith("READONLY") ? "this Redis is a read-only replica: point --redis-host at the master"
                    : m.startsWith("OOM") ? "Redis is out of memory (maxmemory): check 'kubectl logs -n cache redis-master-0'"
                    : "check the redis pod's logs ('kubectl logs -n cache redis-master-0')";
            failure = new CheckFailure(doing + " failed: " + (e instanceof JedisConnectionException ? Errors.describe(e) : m), fix, e);
            throw failure;
        } catch (CheckFailure f) {
            failure = f;
            throw f;
        } finally {
            if (set) {
                String left = delQuietly(j, key);
                if (left != null) {
                    String detail = (failure == null ? "" : failure.detail() + "; ") + "scratch key " + key
                            + " could not be deleted (" + left + "); it expires within " + SCRATCH_TTL_SECONDS + "s";
                    throw new CheckFailure(detail, "nothing to do for the key; fix the error above");
                }
            }
        }
    }

    /** Deletes the scratch key, on the same connection or a new one; null when done. */
    private String delQuietly(Jedis j, String key) {
        try {
            j.del(key);
            return null;
        } catch (JedisException e) {
            try (Jedis fresh = open(password.get())) {
                fresh.del(key);
                return null;
            } catch (JedisException | CheckFailure e2) {
                return Errors.firstLine(e.getMessage());
            }
        }
    }
}
