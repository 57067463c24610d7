package dev.kubani.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few Cloudflare v4 API calls Kubani needs, on the JDK's HTTP client: find the zone of a
 * domain, list its A records (all pages), create and update one. Every answer is Cloudflare's
 * envelope ({@code success}, {@code errors}, {@code result}, {@code result_info}); an error
 * envelope becomes a {@link CloudflareException} with the first error's code and message.
 * The token is sent as a Bearer header and never appears in an exception.
 */
public final class CloudflareClient {
    public static final URI DEFAULT_API = URI.create("https://api.cloudflare.com/client/v4/");
    static final int PER_PAGE = 100;
    private static final int MAX_PAGES = 1000;

    /** A DNS zone. */
    public record Zone(String id, String name) {
    }

    /** A DNS record as Cloudflare stores it. */
    public record Record(String id, String type, String name, String content, boolean proxied, int ttl) {
    }

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public CloudflareClient(URI base, String token, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * The zone holding {@code domain}: the domain itself, else its parents (lab.example.com lives
     * in example.com). Empty when the token sees none of them.
     */
    public Optional<Zone> zoneFor(String domain) throws CloudflareException {
        String d = domain;
        while (d.indexOf('.') > 0) {
            JsonNode r = call("GET", "zones?name=" + enc(d) + "&status=active", null).path("result");
            if (r.isArray() && r.size() > 0) {
                return Optional.of(new Zone(r.get(0).path("id").asText(), r.get(0).path("name").asText()));
            }
            d = d.substring(d.indexOf('.') + 1);
        }
        return Optional.empty();
    }

    /** Every A record of the zone, following result_info.total_pages. */
    public List<Record> aRecords(String zoneId) throws CloudflareException {
        List<Record> out = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            JsonNode env = call("GET", "zones/" + enc(zoneId) + "/dns_records?type=A&per_page=" + PER_PAGE + "&page=" + page, null);
            JsonNode result = env.path("result");
            for (JsonNode r : result) {
                out.add(record(r));
            }
            JsonNode info = env.path("result_info");
            int totalPages = info.path("total_pages").asInt(0);
            if (totalPages > 0 ? page >= totalPages : result.size() < PER_PAGE) {
                break;
            }
        }
        return out;
    }

    public Record create(String zoneId, String name, String ip) throws CloudflareException {
        return record(call("POST", "zones/" + enc(zoneId) + "/dns_records", body(name, ip)).path("result"));
    }

    /** Overwrites the record (PUT): type A, the name, the address, proxy off, automatic TTL. */
    public Record update(String zoneId, String recordId, String name, String ip) throws CloudflareException {
        return record(call("PUT", "zones/" + enc(zoneId) + "/dns_records/" + enc(recordId), body(name, ip)).path("result"));
    }

    private ObjectNode body(String name, String ip) {
        ObjectNode b = json.createObjectNode();
        b.put("type", "A");
        b.put("name", name);
        b.put("content", ip);
        b.put("ttl", 1);
        // Tailscale addresses are private: Cloudflare's proxy could not reach them, and it carries no TCP 5432/6379.
        b.put("proxied", false);
        b.put("comment", "managed by cluster-mgr dns apply");
        return b;
    }

    private static Record record(JsonNode r) {
        return new Record(r.path("id").asText(), r.path("type").asText(), r.path("name").asText(), r.path("content").asText(),
                r.path("proxied").asBoolean(false), r.path("ttl").asInt(1));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode call(String method, String path, JsonNode body) throws CloudflareException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CloudflareException(0, 0, "cannot reach " + base.getHost() + ": " + dev.kubani.services.Errors.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudflareException(0, 0, "interrupted");
        }
        JsonNode env;
        try {
            env = json.readTree(resp.body());
        } catch (IOException e) {
            env = null;
        }
        if (env == null || !env.isObject()) {
            throw new CloudflareException(resp.statusCode(), 0, "HTTP " + resp.statusCode() + " with no Cloudflare envelope from "
                    + method + " " + base.resolve(path).getPath());
        }
        if (!env.path("success").asBoolean(false)) {
            JsonNode first = env.path("errors").path(0);
            int code = first.path("code").asInt(0);
            String msg = first.path("message").asText("");
            if (msg.isEmpty()) {
                msg = "HTTP " + resp.statusCode() + " without an error message";
            }
            // Some errors carry a more specific cause in error_chain.
            JsonNode chain = first.path("error_chain").path(0);
            if (!chain.isMissingNode() && chain.path("message").isTextual()) {
                msg = msg + ": " + chain.path("message").asText();
            }
            throw new CloudflareException(resp.statusCode(), code, scrub(msg));
        }
        return env;
    }

    /** Never let the token reach a message, whatever a server echoes. */
    private String scrub(String s) {
        return token.isEmpty() ? s : s.replace(token, "(hidden)");
    }
}
