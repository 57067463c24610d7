package dev.kubani.kube;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Raw reads of the Kubernetes API through the fabric8 client's authenticated HTTP client, with
 * the JSON decoded as it streams in: a list is parsed item by item into compact rows, so 150,000
 * pods never exist as full objects. Watches are read the same way, one event at a time.
 */
public final class KubeApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    /** Lists decoded with this function take the streaming pod decoder. */
    public static final Function<JsonNode, PodRow> POD_DECODER = Decoders::pod;

    private final KubernetesClient client;
    private final HttpClient http;
    private final String base;
    private final Duration timeout;

    /** A decoded list and the resourceVersion to watch from. */
    public record Listed<T>(String resourceVersion, List<T> items) {
    }

    /** One watch event: ADDED, MODIFIED, DELETED or BOOKMARK, with the decoded object (null for bookmarks). */
    public record WatchEvent<T>(String type, T object, String resourceVersion) {
    }

    public KubeApi(KubernetesClient client, Duration timeout) {
        this.client = client;
        this.http = client.getHttpClient();
        String m = client.getConfiguration().getMasterUrl();
        this.base = m.endsWith("/") ? m.substring(0, m.length() - 1) : m;
        this.timeout = timeout;
    }

    public KubernetesClient client() {
        return client;
    }

    public String server() {
        return base;
    }

    /** The server's version (gitVersion), e.g. "v1.31.5+k3s1". */
    public String version() {
        return get("/version").map(v -> v.path("gitVersion").asText("unknown")).orElse("unknown");
    }

    /** GETs one object; empty on 404. */
    public Optional<JsonNode> get(String path) {
        Response r = send(path, false);
        try (InputStream in = r.body()) {
            if (r.code() == 404) {
                return Optional.empty();
            }
            if (!r.isSuccessful()) {
                throw failure(path, r.code(), in);
            }
            return Optional.of(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new KubernetesClientException("reading " + path + ": " + e.getMessage(), e);
        }
    }

    /** Lists {@code path}, decoding each item as it arrives; 404 gives empty (absent API). */
    public <T> Optional<Listed<T>> list(String path, Function<JsonNode, T> decode) {
        List<T> items = new ArrayList<>();
        return list(path, decode, items::add).map(rv -> new Listed<>(rv, items));
    }

    /** Streams the items of a list to {@code sink}; returns the list's resourceVersion, or empty on 404. */
    public <T> Optional<String> list(String path, Function<JsonNode, T> decode, Consumer<T> sink) {
        Response r = send(path, false);
        try (InputStream in = r.body()) {
            if (r.code() == 404) {
                return Optional.empty();
            }
            if (!r.isSuccessful()) {
                throw failure(path, r.code(), in);
            }
            return Optional.of(parseList(in, decode, sink));
        } catch (IOException e) {
            throw new KubernetesClientException("reading " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads a list document, handing each decoded item to {@code sink}; returns metadata.resourceVersion. */
    public static <T> String parseList(InputStream in, Function<JsonNode, T> decode, Consumer<T> sink) throws IOException {
        if (decode == POD_DECODER) {
            @SuppressWarnings("unchecked")
            Consumer<PodRow> s = (Consumer<PodRow>) sink;
            return SplitList.parse(in, JSON, MAPPER, s);
        }
        String rv = "";
        try (JsonParser p = JSON.createParser(in)) {
            p.setCodec(MAPPER);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if ("items".equals(f) && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        T row = decode.apply(p.readValueAsTree());
                        if (row != null) {
                            sink.accept(row);
                        }
                    }
                } else if ("metadata".equals(f) && t == JsonToken.START_OBJECT) {
                    JsonNode md = p.readValueAsTree();
                    rv = md.path("resourceVersion").asText("");
                } else {
                    p.skipChildren();
                }
            }
        }
        return rv;
    }

    /**
     * Watches {@code path} from {@code resourceVersion}, calling {@code onEvent} for each event
     * on the calling thread until the server ends the stream (returns normally) or it fails
     * (throws). An ERROR event with code 410 throws {@link Gone}: the caller lists again.
     */
    public <T> void watch(String path, String resourceVersion, int timeoutSeconds, Function<JsonNode, T> decode,
                          Consumer<WatchEvent<T>> onEvent) {
        String sep = path.contains("?") ? "&" : "?";
        String url = path + sep + "watch=true&allowWatchBookmarks=true&timeoutSeconds=" + timeoutSeconds
                + (resourceVersion == null || resourceVersion.isEmpty() ? "" : "&resourceVersion=" + resourceVersion);
        if (webSocketWatch) {
            watchWebSocket(path, url, decode, onEvent);
            return;
        }
        Response r = send(url, true);
        try (InputStream in = r.body()) {
            if (!r.isSuccessful()) {
                if (r.code() == 410) {
                    throw new Gone();
                }
                if (r.code() == 400) {
                    // Some API servers (and fabric8's mock) serve watches only over WebSocket: use that from now on.
                    webSocketWatch = true;
                    watchWebSocket(path, url, decode, onEvent);
                    return;
                }
                throw failure(path, r.code(), in);
            }
            try (JsonParser p = JSON.createParser(in)) {
                p.setCodec(MAPPER);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    handleEvent(path, p.readValueAsTree(), decode, onEvent);
                }
            }
        } catch (IOException e) {
            throw new KubernetesClientException("watch " + path + " ended: " + e.getMessage(), e);
        }
    }

    private volatile boolean webSocketWatch;

    private static <T> void handleEvent(String path, JsonNode ev, Function<JsonNode, T> decode, Consumer<WatchEvent<T>> onEvent) {
        String type = ev.path("type").asText();
        JsonNode obj = ev.path("object");
        String rv = obj.path("metadata").path("resourceVersion").asText("");
        if ("ERROR".equals(type)) {
            int code = obj.path("code").asInt();
            if (code == 410) {
                throw new Gone();
            }
            throw new KubernetesClientException("watch " + path + ": " + obj.path("message").asText(), code, null);
        }
        onEvent.accept(new WatchEvent<>(type, "BOOKMARK".equals(type) ? null : decode.apply(obj), rv));
    }

    private static final String CLOSED = new String("closed");

    /** The same watch over a WebSocket (how kubectl's client-go and fabric8 also watch); blocks until it closes. */
    private <T> void watchWebSocket(String path, String url, Function<JsonNode, T> decode, Consumer<WatchEvent<T>> onEvent) {
        java.util.concurrent.BlockingQueue<Object> q = new java.util.concurrent.LinkedBlockingQueue<>();
        io.fabric8.kubernetes.client.http.WebSocket ws;
        try {
            ws = http.newWebSocketBuilder().uri(java.net.URI.create(base + url))
                    .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .buildAsync(new io.fabric8.kubernetes.client.http.WebSocket.Listener() {
                        @Override
                        public void onOpen(io.fabric8.kubernetes.client.http.WebSocket w) {
                            w.request();
                        }

                        @Override
                        public void onMessage(io.fabric8.kubernetes.client.http.WebSocket w, String text) {
                            q.add(text);
                            w.request();
                        }

                        @Override
                        public void onMessage(io.fabric8.kubernetes.client.http.WebSocket w, java.nio.ByteBuffer bytes) {
                            q.add(java.nio.charset.StandardCharsets.UTF_8.decode(bytes).toString());
                            w.request();
                        }

                        @Override
                        public void onClose(io.fabric8.kubernetes.client.http.WebSocket w, int code, String reason) {
                            q.add(CLOSED);
                        }

                        @Override
                        public void onError(io.fabric8.kubernetes.client.http.WebSocket w, Throwable error) {
                            q.add(error);
                        }
                    }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw c instanceof KubernetesClientException k ? k : new KubernetesClientException("watch " + path + ": " + c.getMessage(), c);
        }
        try {
            while (true) {
                Object m = q.take();
                if (m == CLOSED) {
                    return;
                }
                if (m instanceof Throwable t) {
                    throw new KubernetesClientException("watch " + path + " failed: " + t.getMessage(), t);
                }
                handleEvent(path, MAPPER.readTree((String) m), decode, onEvent);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        } catch (IOException e) {
            throw new KubernetesClientException("watch " + path + ": unreadable event: " + e.getMessage(), e);
        } finally {
            ws.sendClose(1000, "done");
        }
    }

    /** The watch's resourceVersion is too old: list again. */
    public static final class Gone extends RuntimeException {
        public Gone() {
            super("resource version too old (410 Gone)", null, false, false);
        }
    }

    /** A response: status code and body (read it, then close it). */
    private record Response(int code, InputStream body) {
        boolean isSuccessful() {
            return code >= 200 && code < 300;
        }
    }

    private Response send(String path, boolean streaming) {
        HttpRequest.Builder b = http.newHttpRequestBuilder().uri(base + path).header("Accept", "application/json");
        if (streaming) {
            b.forStreaming();
        } else {
            b.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        BodyStream body = new BodyStream();
        try {
            java.util.concurrent.CompletableFuture<HttpResponse<io.fabric8.kubernetes.client.http.AsyncBody>> f =
                    http.consumeBytes(b.build(), body);
            HttpResponse<io.fabric8.kubernetes.client.http.AsyncBody> r = streaming ? f.get()
                    : f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            body.start(r.body());
            return new Response(r.code(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", new InterruptedIOException());
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof KubernetesClientException kce) {
                throw kce;
            }
            throw new KubernetesClientException("GET " + base + path + ": " + c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new KubernetesClientException("GET " + base + path + " timed out after " + timeout.toSeconds() + " s", e);
        }
    }

    private static KubernetesClientException failure(String path, int code, InputStream in) {
        String msg = "HTTP " + code;
        try {
            JsonNode s = MAPPER.readTree(in);
            if (s != null && s.hasNonNull("message")) {
                msg = msg + ": " + s.path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // keep the code only
        }
        Status st = new Status();
        st.setCode(code);
        st.setMessage(msg);
        return new KubernetesClientException("GET " + path + ": " + msg, code, st);
    }
}
