package dev.kubani.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * List + watch of one resource into a sorted in-memory store of compact rows (an informer that
 * keeps rows, not objects). It lists, then watches from the list's resourceVersion; when the
 * watch ends it watches again from the last version seen; on 410 Gone it lists again; on a
 * failure it reports it and retries with exponential backoff until {@link #close()}.
 */
public final class Reflector<T> implements AutoCloseable {
    /** Receives connection news; called from the reflector's thread. */
    public interface Listener {
        void synced(String resource);

        void changed(String resource);

        void failed(String resource, RuntimeException e);
    }

    private final KubeApi api;
    private final String path;
    private final String resource;
    private final Function<JsonNode, T> decode;
    private final Function<T, String> key;
    private final Listener listener;
    private final long backoffMinMs;
    private final long backoffMaxMs;
    private volatile ConcurrentSkipListMap<String, T> store = new ConcurrentSkipListMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean relist;
    private final Object wake = new Object();

    public Reflector(KubeApi api, String resource, String path, Function<JsonNode, T> decode, Function<T, String> key,
                     Listener listener, long backoffMinMs, long backoffMaxMs) {
        this.api = api;
        this.resource = resource;
        this.path = path;
        this.decode = decode;
        this.key = key;
        this.listener = listener;
        this.backoffMinMs = backoffMinMs;
        this.backoffMaxMs = backoffMaxMs;
        this.thread = new Thread(this::loop, "kubani-reflector-" + resource);
        this.thread.setDaemon(true);
    }

    public Reflector<T> start() {
        thread.start();
        return this;
    }

    /** Rows sorted by key (namespace/name). A live view: copy it for a snapshot. */
    public Map<String, T> store() {
        return store;
    }

    /** Lists again now (the 'r' key), and retries at once if it is backing off. */
    public void resync() {
        relist = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void loop() {
        long backoff = backoffMinMs;
        String rv = null;
        while (running) {
            try {
                if (rv == null || relist) {
                    relist = false;
                    rv = list();
                    listener.synced(resource);
                }
                final String[] last = {rv};
                api.watch(path, rv, 290, decode, ev -> {
                    if (!ev.resourceVersion().isEmpty()) {
                        last[0] = ev.resourceVersion();
                    }
                    if (ev.object() == null) {
                        return;
                    }
                    String k = key.apply(ev.object());
                    if ("DELETED".equals(ev.type())) {
                        store.remove(k);
                    } else {
                        store.put(k, ev.object());
                    }
                    listener.changed(resource);
                    if (relist || !running) {
                        throw new StopWatch();
                    }
                });
                rv = last[0];
                backoff = backoffMinMs;
            } catch (KubeApi.Gone g) {
                rv = null;
            } catch (StopWatch s) {
                // relist or close requested
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                listener.failed(resource, e);
                rv = null;
                sleep(backoff);
                backoff = Math.min(backoffMaxMs, backoff * 2);
            }
        }
    }

    private String list() {
        ConcurrentSkipListMap<String, T> fresh = new ConcurrentSkipListMap<>();
        Optional<String> rv = api.list(path, decode, row -> fresh.put(key.apply(row), row));
        if (rv.isEmpty()) {
            throw new KubernetesClientException(path + " is not served by this API server", 404, null);
        }
        store = fresh; // the watch that follows applies changes to the new map
        return rv.get();
    }

    private void sleep(long ms) {
        synchronized (wake) {
            try {
                if (!relist) {
                    wake.wait(ms);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        thread.interrupt();
    }

    private static final class StopWatch extends RuntimeException {
        StopWatch() {
            super(null, null, false, false);
        }
    }
}
