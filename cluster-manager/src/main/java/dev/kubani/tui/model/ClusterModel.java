package dev.kubani.tui.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.tui.dao.ClusterSource;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Refreshes the snapshot from the source on its own thread, never overlapping: it rebuilds at
 * most once per refresh interval when the data changed (at once on the first load and after
 * 'r'), polls metrics and Flux once per interval, and tells listeners. Errors never reach the
 * screen as exceptions: they arrive as {@link Listener#loadFailed} with one line for people.
 */
public final class ClusterModel implements AutoCloseable {
    /** What the view hears about. Called on the model's thread. */
    public interface Listener {
        void dataChanged(ClusterSnapshot snapshot);

        default void loadFailed(String problem) {
        }
    }

    private static final long CHECK_MS = 100;

    private final ClusterSource source;
    private final long refreshMs;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final ExecutorService actions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kubani-tui-actions");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;
    private volatile boolean forced = true;
    private volatile ClusterSnapshot current;

    public ClusterModel(ClusterSource source, Duration refresh) {
        this.source = source;
        this.refreshMs = refresh.toMillis();
        this.thread = new Thread(this::loop, "kubani-tui-model");
        this.thread.setDaemon(true);
    }

    public ClusterModel addListener(Listener l) {
        listeners.add(l);
        return this;
    }

    public ClusterModel start() {
        thread.start();
        return this;
    }

    public long refreshMillis() {
        return refreshMs;
    }

    public ClusterSnapshot current() {
        return current;
    }

    /** 'r': list again and redraw as soon as the data is in. */
    public void refresh() {
        source.resync();
        forced = true;
        synchronized (this) {
            notifyAll();
        }
    }

    public void setVisibleNodes(Collection<String> names) {
        source.setVisibleNodes(names);
    }

    /** Fetches a full object for a detail view, off the render thread. */
    public void fetch(String kind, String ns, String name, Consumer<Optional<JsonNode>> done, Consumer<String> failed) {
        actions.submit(() -> {
            try {
                done.accept(source.fetch(kind, ns, name));
            } catch (RuntimeException e) {
                failed.accept(oneLine(e));
            }
        });
    }

    /** Cordons or uncordons a node, off the render thread; {@code done} gets a line for the status bar. */
    public void cordon(String node, boolean cordon, Consumer<String> done) {
        actions.submit(() -> {
            try {
                source.setUnschedulable(node, cordon);
                forced = true;
                done.accept((cordon ? "cordoned " : "uncordoned ") + node);
            } catch (RuntimeException e) {
                done.accept((cordon ? "cordon " : "uncordon ") + node + " failed: " + oneLine(e));
            }
        });
    }

    private void loop() {
        long lastChanges = Long.MIN_VALUE;
        long nextRebuild = 0;
        long nextPoll = 0;
        while (running) {
            try {
                long now = System.currentTimeMillis();
                if (now >= nextPoll) {
                    source.poll();
                    nextPoll = now + refreshMs;
                }
                long ch = source.changes();
                boolean firstLoad = current == null || current.meta().state() == ClusterSnapshot.Connection.CONNECTING;
                if (ch != lastChanges && (forced || firstLoad || now >= nextRebuild)) {
                    forced = false;
                    lastChanges = ch;
                    ClusterSnapshot s = source.snapshot();
                    current = s;
                    nextRebuild = now + refreshMs;
                    for (Listener l : listeners) {
                        l.dataChanged(s);
                        if (s.meta().problem() != null) {
                            l.loadFailed(s.meta().problem());
                        }
                    }
                }
                synchronized (this) {
                    wait(CHECK_MS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                for (Listener l : listeners) {
                    l.loadFailed(oneLine(e));
                }
                try {
                    Thread.sleep(Math.min(5000, refreshMs));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        actions.shutdownNow();
        source.close();
    }
}
