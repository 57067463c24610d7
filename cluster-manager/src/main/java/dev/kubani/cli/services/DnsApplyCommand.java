package dev.kubani.cli.services;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Table;
import dev.kubani.cli.Term;
import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import dev.kubani.dns.CloudflareClient;
import dev.kubani.dns.CloudflareException;
import dev.kubani.dns.DnsPlan;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cluster-mgr dns apply}: creates or updates the service A records through Cloudflare's
 * v4 API. A dry run unless --yes; a second run changes nothing and says so. The token comes
 * from CLOUDFLARE_API_TOKEN or --token-file, never from an argument, and is never printed.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, description = {"Create or update the service A records in Cloudflare (a dry run unless --yes).",
    "The API token comes from $CLOUDFLARE_API_TOKEN or --token-file; it needs Zone:DNS:Edit and Zone:Zone:Read."})
public final class DnsApplyCommand extends BaseCommand {
    static final String TOKEN_ENV = "CLOUDFLARE_API_TOKEN";

    @Mixin
    DnsOptions opts;

    @Option(names = "--yes", description = "Make the changes (without it, only show them).")
    boolean yes;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the Cloudflare API token from this file (first line) instead of $" + TOKEN_ENV + ".")
    Path tokenFile;

    @Option(names = "--api-url", paramLabel = "URL", defaultValue = "https://api.cloudflare.com/client/v4/",
            description = "Cloudflare API base URL (default: ${DEFAULT-VALUE}); for a proxy or a test server.")
    String apiUrl;

    @Override
    protected int execute() {
        String token = token();
        URI api = apiUrl();
        try (ServiceContext ctx = new ServiceContext(root(), opts.domain, opts.timeout())) {
            String domain = ctx.domain();
            DnsOptions.Address addr = opts.address(ctx);
            CloudflareClient cf = new CloudflareClient(api, token, opts.timeout());
            try {
                return apply(cf, domain, addr);
            } catch (CloudflareException e) {
                throw explain(e, domain);
            }
        }
    }

    private int apply(CloudflareClient cf, String domain, DnsOptions.Address addr) throws CloudflareException {
        CloudflareClient.Zone zone = cf.zoneFor(domain).orElseThrow(() -> KubaniException.failed("no active Cloudflare zone for "
                + domain + " (or a parent domain) is visible to this token: check --domain, and that the token's "
                + "Zone Resources include the zone"));
        List<CloudflareClient.Record> existing = cf.aRecords(zone.id());
        List<DnsPlan.Change> plan = DnsPlan.plan(DnsPlan.hostNames(domain), addr.ip(), existing);
        long changes = plan.stream().filter(c -> c.action() != DnsPlan.Action.UNCHANGED).count();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (DnsPlan.Change c : plan) {
            boolean applied = false;
            try {
                if (yes && c.action() == DnsPlan.Action.CREATE) {
                    cf.create(zone.id(), c.name(), c.ip());
                    applied = true;
                    done.add("created " + c.name() + " -> " + c.ip());
                } else if (yes && c.action() == DnsPlan.Action.UPDATE) {
                    cf.update(zone.id(), c.existing().id(), c.name(), c.ip());
                    applied = true;
                    done.add("updated " + c.name() + ": " + c.current() + " -> " + c.ip());
                }
            } catch (CloudflareException e) {
                KubaniException k = explain(e, domain);
                throw new KubaniException(k.exitCode(), "while " + (c.action() == DnsPlan.Action.CREATE ? "creating " : "updating ")
                        + c.name() + ": " + k.getMessage() + (done.isEmpty() ? "" : " (already done: " + String.join("; ", done)
                        + "; run again to finish)"));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("current", c.current());
            m.put("desired", c.ip());
            m.put("action", c.action().name().toLowerCase(java.util.Locale.ROOT));
            m.put("applied", applied);
            m.put("otherRecords", c.others().stream().map(CloudflareClient.Record::content).toList());
            rows.add(m);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("domain", domain);
        data.put("zone", zone.name());
        data.put("ip", addr.ip());
        data.put("dryRun", !yes);
        data.put("changes", rows);
        if (Printer.structured(root(), data)) {
            return ExitCode.OK;
        }
        Term t = term();
        t.info("Zone " + t.bold(zone.name()) + ", records point at " + t.bold(addr.ip()) + t.dim("  from " + addr.source()));
        Table table = new Table("NAME", "CURRENT", "DESIRED", "ACTION");
        for (DnsPlan.Change c : plan) {
            String action = switch (c.action()) {
                case CREATE -> t.green("create");
                case UPDATE -> t.yellow("update");
                case UNCHANGED -> t.dim("unchanged");
            };
            table.row(c.name(), c.current() == null ? "-" : c.current(), c.ip(), action);
        }
        table.print(root().env().out(), t);
        for (DnsPlan.Change c : plan) {
            for (CloudflareClient.Record o : c.others()) {
                t.warn(c.name() + " also has an A record for " + o.content() + " (id " + o.id()
                        + "); clients may get either address: delete it in the Cloudflare dashboard");
            }
        }
        if (changes == 0) {
            t.info(t.green("nothing changed: ") + "all " + plan.size() + " records already point at " + addr.ip());
        } else if (!yes) {
            t.info("dry run: " + changes + " change" + (changes == 1 ? "" : "s") + " planned, nothing changed; "
                    + "run again with --yes to apply");
        } else {
            done.forEach(d -> t.info(t.green("✓ ") + d));
            t.info(changes + " record" + (changes == 1 ? "" : "s") + " changed; DNS answers follow within the record's TTL");
        }
        return ExitCode.OK;
    }

    private String token() {
        String tok;
        if (tokenFile != null) {
            tok = ServiceContext.readSecretFile(tokenFile, "--token-file");
            try {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(tokenFile);
                if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                    term().warn(tokenFile + " is readable by other users: chmod 600 " + tokenFile);
                }
            } catch (UnsupportedOperationException | java.io.IOException ignored) {
                // not a POSIX file system: nothing to check
            }
        } else {
            tok = root().env().var(TOKEN_ENV);
            if (tok == null || tok.isBlank()) {
                throw KubaniException.invalidInput("no Cloudflare API token: set " + TOKEN_ENV + " or pass --token-file FILE "
                        + "(a token with Zone:DNS:Edit and Zone:Zone:Read; see docs/services.md)");
            }
            tok = tok.strip();
        }
        if (tok.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            throw KubaniException.invalidInput((tokenFile != null ? "--token-file " + tokenFile : TOKEN_ENV)
                    + ": the token holds spaces or control characters; paste it again");
        }
        return tok;
    }

    private URI apiUrl() {
        try {
            URI u = new URI(apiUrl.strip());
            if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
                throw new URISyntaxException(apiUrl, "needs http(s)://HOST/...");
            }
            return u;
        } catch (URISyntaxException e) {
            throw KubaniException.invalidInput("--api-url " + apiUrl + ": not an http(s) URL; the default is "
                    + CloudflareClient.DEFAULT_API);
        }
    }

    private static KubaniException explain(CloudflareException e, String domain) {
        if (e.code() == 0 && e.httpStatus() == 0) {
            return KubaniException.unexpectedState("Cloudflare API: " + e.getMessage() + "; check this machine's network");
        }
        String what = "Cloudflare API error " + (e.code() == 0 ? "(HTTP " + e.httpStatus() + ")" : e.code()) + ": " + e.getMessage();
        if (e.authentication()) {
            return KubaniException.failed(what + " - the token was refused: create one with Zone:DNS:Edit and Zone:Zone:Read for "
                    + domain + " and put it in " + TOKEN_ENV + " or --token-file (docs/services.md)");
        }
        return KubaniException.failed(what);
    }
}
