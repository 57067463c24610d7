package dev.kubani.cli.services;

import dev.kubani.cli.BaseCommand;
import dev.kubani.cli.Printer;
import dev.kubani.cli.Table;
import dev.kubani.cli.Term;
import dev.kubani.dns.DnsPlan;
import dev.kubani.dns.TraefikAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cluster-mgr dns show}: Traefik's address and the A records to create for the service names. */
@Command(name = "show", mixinStandardHelpOptions = true, description = {"Show the A records the services need: postgres., redis. and auth. under your domain,",
    "pointing at Traefik's LoadBalancer address (Service traefik in kube-system). Changes nothing."})
public final class DnsShowCommand extends BaseCommand {
    @Mixin
    DnsOptions opts;

    @Override
    protected int execute() {
        try (ServiceContext ctx = new ServiceContext(root(), opts.domain, opts.timeout())) {
            String domain = ctx.domain();
            DnsOptions.Address addr = opts.address(ctx);
            List<Map<String, Object>> records = new ArrayList<>();
            for (String name : DnsPlan.hostNames(domain)) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", name);
                r.put("type", "A");
                r.put("content", addr.ip());
                r.put("proxied", false);
                records.add(r);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("domain", domain);
            data.put("ip", addr.ip());
            data.put("source", addr.source());
            data.put("tailscale", TraefikAddress.isTailscale(addr.ip()));
            data.put("records", records);
            if (Printer.structured(root(), data)) {
                return 0;
            }
            Term t = term();
            t.info("Traefik address: " + t.bold(addr.ip()) + t.dim("  from " + addr.source()));
            if (!TraefikAddress.isTailscale(addr.ip())) {
                t.warn(addr.ip() + " is not a Tailscale address (100.64.0.0/10): the names will work only where that address is reachable");
            }
            t.info("");
            Table table = new Table("NAME", "TYPE", "CONTENT", "PROXY", "TTL");
            for (Map<String, Object> r : records) {
                table.row(r.get("name"), "A", r.get("content"), "DNS only", "auto");
            }
            table.print(root().env().out(), t);
            t.info("");
            t.info("Create them in Cloudflare with 'cluster-mgr dns apply --yes' (token in CLOUDFLARE_API_TOKEN),");
            t.info("or by hand in your DNS provider with the proxy off: PostgreSQL and Redis are plain TCP.");
            return 0;
        }
    }
}
