package dev.kubani.cli.services;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Table;
import dev.kubani.cli.Term;
import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.kube.KubeConnect;
import dev.kubani.services.CertificatesCheck;
import dev.kubani.services.CheckResult;
import dev.kubani.services.HttpsCheck;
import dev.kubani.services.PodsCheck;
import dev.kubani.services.PostgresCheck;
import dev.kubani.services.RedisCheck;
import dev.kubani.services.Secret;
import dev.kubani.services.Trust;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cluster-mgr verify [postgresql|redis|authentik|certificates|pods]}: end-to-end checks of
 * the production services (seed 002 "Production Services Validation"). One row per step; exit 1
 * when any fails.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {
    "Verify the production services end to end (PostgreSQL, Redis, Authentik, certificates, pods).",
    "One row per step; exit 1 if any fails. With no CHECK, runs them all."})
public final class VerifyCommand extends BaseCommand {
    static final List<String> CHECKS = List.of("postgresql", "redis", "authentik", "certificates", "pods");

    @Parameters(arity = "0..*", paramLabel = "CHECK", description = "postgresql, redis, authentik, certificates or pods (default: all).")
    List<String> checks = new ArrayList<>();

    @Option(names = "--domain", paramLabel = "DOMAIN",
            description = "Domain of the service host names (default: the inventory variable 'domain').")
    String domain;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Limit for each network step: resolve, connect, log in, query, API call (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--postgres-host", paramLabel = "HOST[:PORT]", description = "Default: postgres.DOMAIN:5432.")
    String postgresHost;

    @Option(names = "--postgres-user", paramLabel = "USER", defaultValue = "authentik",
            description = "Default: ${DEFAULT-VALUE} (the chart's application user).")
    String postgresUser;

    @Option(names = "--postgres-database", paramLabel = "NAME", defaultValue = "authentik", description = "Default: ${DEFAULT-VALUE}.")
    String postgresDatabase;

    @Option(names = "--postgres-password-file", paramLabel = "FILE",
            description = "Password on the first line. Default: $PGPASSWORD, else Secret database/postgresql-credentials.")
    Path postgresPasswordFile;

    @Option(names = "--redis-host", paramLabel = "HOST[:PORT]", description = "Default: redis.DOMAIN:6379.")
    String redisHost;

    @Option(names = "--redis-user", paramLabel = "USER", description = "Redis ACL user (default: the default user).")
    String redisUser;

    @Option(names = "--redis-password-file", paramLabel = "FILE",
            description = "Password on the first line. Default: $REDISCLI_AUTH, else Secret cache/redis-credentials.")
    Path redisPasswordFile;

    @Option(names = "--authentik-url", paramLabel = "URL", description = "Default: https://auth.DOMAIN.")
    String authentikUrl;

    @Option(names = "--https-url", paramLabel = "URL",
            description = "Another HTTPS endpoint to check with authentik (certificate, expiry, reachability); repeatable.")
    List<String> httpsUrls = new ArrayList<>();

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "Also trust the CA certificates in this PEM file (a private CA).")
    Path caFile;

    @Option(names = "--warn-days", paramLabel = "DAYS", defaultValue = "14",
            description = "Warn when a certificate expires within this many days (default: ${DEFAULT-VALUE}).")
    int warnDays;

    @Override
    protected int execute() {
        Set<String> selected = selected();
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw KubaniException.invalidInput("--timeout " + timeoutSeconds + ": give a number of seconds between 1 and 300");
        }
        if (warnDays < 0 || warnDays > 365) {
            throw KubaniException.invalidInput("--warn-days " + warnDays + ": give a number of days between 0 and 365");
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        List<CheckResult> results = new ArrayList<>();
        try (ServiceContext ctx = new ServiceContext(root(), domain, timeout)) {
            // Everything that can be wrong with the input is found before any network traffic.
            List<Runnable> plan = new ArrayList<>();
            if (selected.contains("postgresql")) {
                PostgresCheck c = postgres(ctx, timeout);
                plan.add(() -> results.addAll(c.run()));
            }
            if (selected.contains("redis")) {
                RedisCheck c = redis(ctx, timeout);
                plan.add(() -> results.addAll(c.run()));
            }
            if (selected.contains("authentik")) {
                Trust trust = Trust.load(caFile, "--ca-file");
                URI auth = url(authentikUrl != null ? authentikUrl : "https://auth." + ctx.domain(), "--authentik-url");
                List<HttpsCheck> https = new ArrayList<>();
                https.add(new HttpsCheck(new HttpsCheck.Settings("authentik", auth, HttpsCheck.AUTHENTIK_API, timeout, warnDays,
                        "'kubectl describe certificate authentik-tls -n auth'"), trust));
                for (String u : httpsUrls) {
                    https.add(new HttpsCheck(new HttpsCheck.Settings("https", url(u, "--https-url"), null, timeout, warnDays,
                            "'kubectl get certificates -A'"), trust));
                }
                plan.add(() -> https.forEach(h -> results.addAll(h.run())));
            }
            if (selected.contains("certificates")) {
                plan.add(() -> results.addAll(cluster(ctx, CertificatesCheck.CHECK, () ->
                        new CertificatesCheck(ctx.kube(), Instant.now(), warnDays, Duration.ofHours(24)).run())));
            }
            if (selected.contains("pods")) {
                plan.add(() -> results.addAll(cluster(ctx, "pods", () ->
                        new PodsCheck(ctx.kube()).run(PodsCheck.DEFAULT_NAMESPACES))));
            }
            plan.forEach(Runnable::run);
        }
        print(results);
        return results.stream().anyMatch(CheckResult::failed) ? ExitCode.FAILED : ExitCode.OK;
    }

    private Set<String> selected() {
        Set<String> out = new LinkedHashSet<>();
        for (String c : checks) {
            String n = c.toLowerCase(Locale.ROOT);
            if (!CHECKS.contains(n)) {
                throw KubaniException.invalidInput("unknown check '" + c + "': use one of " + String.join(", ", CHECKS)
                        + ", or none for all");
            }
            out.add(n);
        }
        return out.isEmpty() ? new LinkedHashSet<>(CHECKS) : out;
    }

    private PostgresCheck postgres(ServiceContext ctx, Duration timeout) {
        ServiceContext.HostPort hp = ServiceContext.hostPort(postgresHost != null ? postgresHost : "postgres." + ctx.domain(),
                5432, "--postgres-host");
        String key = "postgres".equals(postgresUser) ? "postgres-password" : "password";
        Secret pw;
        String hint;
        if (postgresPasswordFile != null) {
            String v = ServiceContext.readSecretFile(postgresPasswordFile, "--postgres-password-file");
            pw = Secret.of(v);
            hint = postgresPasswordFile.toString();
        } else if (env("PGPASSWORD") != null) {
            pw = Secret.of(env("PGPASSWORD"));
            hint = "$PGPASSWORD";
        } else {
            pw = () -> ctx.secretValue("database", "postgresql-credentials", key,
                    "pass --postgres-password-file FILE or set PGPASSWORD");
            hint = "Secret database/postgresql-credentials key '" + key + "'";
        }
        return new PostgresCheck(new PostgresCheck.Settings(hp.host(), hp.port(), postgresDatabase, postgresUser, timeout, hint), pw);
    }

    private RedisCheck redis(ServiceContext ctx, Duration timeout) {
        ServiceContext.HostPort hp = ServiceContext.hostPort(redisHost != null ? redisHost : "redis." + ctx.domain(),
                6379, "--redis-host");
        Secret pw;
        String hint;
        if (redisPasswordFile != null) {
            pw = Secret.of(ServiceContext.readSecretFile(redisPasswordFile, "--redis-password-file"));
            hint = redisPasswordFile.toString();
        } else if (env("REDISCLI_AUTH") != null) {
            pw = Secret.of(env("REDISCLI_AUTH"));
            hint = "$REDISCLI_AUTH";
        } else {
            pw = () -> ctx.secretValue("cache", "redis-credentials", "redis-password",
                    "pass --redis-password-file FILE or set REDISCLI_AUTH");
            hint = "Secret cache/redis-credentials key 'redis-password'";
        }
        return new RedisCheck(new RedisCheck.Settings(hp.host(), hp.port(), redisUser, timeout, hint), pw);
    }

    private String env(String name) {
        String v = root().env().var(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static URI url(String value, String flag) {
        try {
            URI u = new URI(value.strip());
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw KubaniException.invalidInput(flag + " " + value + ": give an https:// URL with a host, like https://auth.example.com");
            }
            return u.getPath() == null || u.getPath().isEmpty() ? new URI(u.getScheme(), null, u.getHost(), u.getPort(), "/", null, null) : u;
        } catch (URISyntaxException e) {
            throw KubaniException.invalidInput(flag + " " + value + ": not a URL (" + e.getReason() + ")");
        }
    }

    @FunctionalInterface
    private interface ClusterRows {
        List<CheckResult> get();
    }

    /** Runs a check that reads the cluster; an unreachable cluster becomes one failed row. */
    private static List<CheckResult> cluster(ServiceContext ctx, String check, ClusterRows rows) {
        long start = System.nanoTime();
        try {
            return rows.get();
        } catch (KubaniException e) {
            return List.of(CheckResult.fail(check, "Kubernetes API", e.getMessage(), (System.nanoTime() - start) / 1_000_000,
                    "fix the cluster connection first ('cluster-mgr status')"));
        } catch (RuntimeException e) {
            KubaniException k = KubeConnect.explain(e, safeTarget(ctx));
            return List.of(CheckResult.fail(check, "Kubernetes API", k.getMessage(), (System.nanoTime() - start) / 1_000_000,
                    "fix the cluster connection first"));
        }
    }

    private static KubeConnect.Target safeTarget(ServiceContext ctx) {
        try {
            return ctx.target();
        } catch (KubaniException e) {
            return null;
        }
    }

    private void print(List<CheckResult> results) {
        long failed = results.stream().filter(CheckResult::failed).count();
        long warned = results.stream().filter(r -> r.status() == CheckResult.Status.WARN).count();
        long ok = results.stream().filter(r -> r.status() == CheckResult.Status.OK).count();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("checks", results.stream().map(CheckResult::toMap).toList());
        data.put("ok", ok);
        data.put("warnings", warned);
        data.put("failed", failed);
        if (Printer.structured(root(), data)) {
            return;
        }
        Term t = term();
        Table table = new Table("CHECK", "TARGET", "RESULT", "TIME", "DETAIL");
        for (CheckResult r : results) {
            String res = switch (r.status()) {
                case OK -> t.green("ok");
                case WARN -> t.yellow("warn");
                case FAIL -> t.red("FAIL");
                case SKIPPED -> t.dim("skipped");
            };
            table.row(r.check(), r.target(), res, r.status() == CheckResult.Status.SKIPPED ? "-" : r.millis() + "ms", r.detail());
        }
        table.print(root().env().out(), t);
        boolean header = false;
        for (CheckResult r : results) {
            if (r.fix() != null && (r.failed() || r.status() == CheckResult.Status.WARN)) {
                if (!header) {
                    t.info("");
                    t.info(t.bold("How to fix:"));
                    header = true;
                }
                t.info("  " + r.check() + " (" + r.target() + "): " + r.fix());
            }
        }
        t.info("");
        String summary = results.size() + " check" + (results.size() == 1 ? "" : "s") + ": " + ok + " ok, " + warned + " warning"
                + (warned == 1 ? "" : "s") + ", " + failed + " failed";
        t.info(failed > 0 ? t.red(summary) : warned > 0 ? t.yellow(summary) : t.green(summary));
    }
}
