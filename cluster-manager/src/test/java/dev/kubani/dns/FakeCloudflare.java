package dev.kubani.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local HTTP server implementing the Cloudflare v4 endpoints dns apply uses, with responses
 * shaped as Cloudflare documents them: the envelope {success, errors, messages, result,
 * result_info}, the error envelope, and page-based pagination (it caps per_page at
 * {@link #maxPerPage} so that listing takes several pages).
 */
final class FakeCloudflare implements AutoCloseable {
    static final String TOKEN = "cf-test-token-0123456789abcdef";
    static final String ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";
    final String zoneName;
    final int maxPerPage;
    final Map<String, ObjectNode> records = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** When set, POST answers with this error envelope (code, message). */
    volatile Object[] failCreate;
    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private int nextId = 1;

    FakeCloudflare(String zoneName, int maxPerPage) throws IOException {
        this.zoneName = zoneName;
        this.maxPerPage = maxPerPage;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/client/v4/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4/";
    }

    synchronized ObjectNode addRecord(String type, String name, String content, boolean proxied) {
        ObjectNode r = json.createObjectNode();
        String id = String.format("%032x", nextId++);
        r.put("id", id);
        r.put("zone_id", ZONE_ID);
        r.put("zone_name", zoneName);
        r.put("name", name);
        r.put("type", type);
        r.put("content", content);
        r.put("proxiable", true);
        r.put("proxied", proxied);
        r.put("ttl", 1);
        r.put("created_on", "2024-01-01T05:20:00.12345Z");
        r.put("modified_on", "2024-01-01T05:20:00.12345Z");
        records.put(id, r);
        return r;
    }

    List<String> writes() {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startsWith("POST") || c.startsWith("PUT")).toList();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath().substring("/client/v4/".length());
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            calls.add(method + " " + path);
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                error(ex, 403, 9109, "Invalid access token");
                return;
            }
            String[] p = path.split("/");
            if (method.equals("GET") && path.equals("zones")) {
                ArrayNode result = json.createArrayNode();
                if (zoneName.equals(q.get("name"))) {
                    ObjectNode z = result.addObject();
                    z.put("id", ZONE_ID);
                    z.put("name", zoneName);
                    z.put("status", "active");
                }
                ok(ex, 200, result, info(1, 20, result.size(), result.size()));
            } else if (p.length >= 3 && p[0].equals("zones") && p[1].equals(ZONE_ID) && p[2].equals("dns_records")) {
                records(ex, method, p, q);
            } else {
                error(ex, 400, 7003, "Could not route to /" + path + ", perhaps your object identifier is invalid?");
            }
        } catch (RuntimeException e) {
            error(ex, 500, 10001, "fake server error: " + e);
        }
    }

    private void records(HttpExchange ex, String method, String[] p, Map<String, String> q) throws IOException {
        if (method.equals("GET") && p.length == 3) {
            List<ObjectNode> all;
            synchronized (records) {
                all = records.values().stream()
                        .filter(r -> q.get("type") == null || q.get("type").equals(r.path("type").asText()))
                        .filter(r -> q.get("name") == null || q.get("name").equals(r.path("name").asText()))
                        .toList();
            }
            int perPage = Math.min(maxPerPage, Integer.parseInt(q.getOrDefault("per_page", "100")));
            int page = Integer.parseInt(q.getOrDefault("page", "1"));
            ArrayNode result = json.createArrayNode();
            for (int i = (page - 1) * perPage; i < Math.min(all.size(), page * perPage); i++) {
                result.add(all.get(i));
            }
            ok(ex, 200, result, info(page, perPage, result.size(), all.size()));
            return;
        }
        JsonNode body = json.readTree(ex.getRequestBody());
        if (method.equals("POST") && p.length == 3) {
            if (failCreate != null) {
                error(ex, 400, (Integer) failCreate[0], (String) failCreate[1]);
                return;
            }
            ObjectNode r = addRecord(body.path("type").asText(), body.path("name").asText(), body.path("content").asText(),
                    body.path("proxied").asBoolean(false));
            ok(ex, 200, r, null);
        } else if (method.equals("PUT") && p.length == 4 && records.containsKey(p[3])) {
            ObjectNode r = records.get(p[3]);
            r.put("type", body.path("type").asText());
            r.put("name", body.path("name").asText());
            r.put("content", body.path("content").asText());
            r.put("proxied", body.path("proxied").asBoolean(false));
            r.put("ttl", body.path("ttl").asInt(1));
            ok(ex, 200, r, null);
        } else {
            error(ex, 404, 81044, "Record does not exist.");
        }
    }

    private ObjectNode info(int page, int perPage, int count, int total) {
        ObjectNode i = json.createObjectNode();
        i.put("page", page);
        i.put("per_page", perPage);
        i.put("count", count);
        i.put("total_count", total);
        i.put("total_pages", Math.max(1, (total + perPage - 1) / perPage));
        return i;
    }

    private void ok(HttpExchange ex, int code, JsonNode result, JsonNode info) throws IOException {
        ObjectNode env = json.createObjectNode();
        env.put("success", true);
        env.putArray("errors");
        env.putArray("messages");
        env.set("result", result);
        if (info != null) {
            env.set("result_info", info);
        }
        send(ex, code, env);
    }

    private void error(HttpExchange ex, int status, int code, String message) throws IOException {
        ObjectNode env = json.createObjectNode();
        env.put("success", false);
        ObjectNode e = env.putArray("errors").addObject();
        e.put("code", code);
        e.put("message", message);
        env.putArray("messages");
        env.putNull("result");
        send(ex, status, env);
    }

    private void send(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] b = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
