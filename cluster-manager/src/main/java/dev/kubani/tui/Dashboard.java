package dev.kubani.tui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.EventRow;
import dev.kubani.kube.NodeRow;
import dev.kubani.kube.PodRow;
import dev.kubani.kube.ServiceRow;
import dev.kubani.tui.model.ClusterModel;
import dev.kubani.tui.render.Ages;
import dev.kubani.tui.render.Cell;
import dev.kubani.tui.render.DetailRender;
import dev.kubani.tui.render.Tone;
import dev.kubani.tui.view.DetailView;
import dev.kubani.tui.view.Draw;
import dev.kubani.tui.view.TableView;
import dev.tamboui.buffer.Buffer;
import dev.tamboui.layout.Rect;
import dev.tamboui.style.Style;
import dev.tamboui.terminal.Frame;
import dev.tamboui.tui.EventHandler;
import dev.tamboui.tui.Renderer;
import dev.tamboui.tui.TuiRunner;
import dev.tamboui.tui.event.Event;
import dev.tamboui.tui.event.KeyCode;
import dev.tamboui.tui.event.KeyEvent;
import dev.tamboui.tui.event.ResizeEvent;
import dev.tamboui.tui.event.TickEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The dashboard: header, nodes, services and events panels, full-screen views per kind, details,
 * help, filter, ':' jumps and cordon with confirmation. It handles TamboUI events and draws
 * frames; data arrives from the {@link ClusterModel} as snapshots. Nothing here throws onto the
 * screen: a failure becomes one line in the status bar.
 */
public final class Dashboard implements EventHandler, Renderer {
    public static final int MIN_WIDTH = 80;
    public static final int MIN_HEIGHT = 20;
    private static final String[] PANELS = {"nodes", "services", "events"};

    /** Wakes the event loop when the model has a new snapshot. */
    private static final class Wake implements Event {
    }

    private enum Input { NONE, FILTER, COMMAND, CONFIRM }

    private final ClusterModel model;
    private final Registry registry = new Registry();
    /** A snapshot with everything the render thread needs precomputed on the model's thread. */
    private record Incoming(ClusterSnapshot snap, long readyNodes, long runningPods, List<TableView.Prepared<?>> views) {
    }

    private final AtomicReference<Incoming> pending = new AtomicReference<>();
    private volatile TuiRunner runner;
    private ClusterSnapshot snap;
    private String screen = "dashboard";
    private int focus;
    private DetailView detail;
    private boolean help;
    private Input input = Input.NONE;
    private final StringBuilder typed = new StringBuilder();
    private String confirmNode;
    private boolean confirmCordon;
    private volatile String message;
    private volatile long messageAt;
    private boolean quit;
    private List<String> lastVisibleNodes = List.of();
    private volatile boolean capture;
    private volatile Buffer lastFrame;
    private volatile long lastRenderNanos;
    private volatile java.util.function.LongConsumer onFrame;

    public Dashboard(ClusterModel model) {
        this.model = model;
        model.addListener(new ClusterModel.Listener() {
            @Override
            public void dataChanged(ClusterSnapshot s) {
                // Sorting, filtering and counting 150,000 pods happens here, off the render thread.
                List<TableView.Prepared<?>> prepared = new ArrayList<>(4);
                for (TableView<?> v : registry.all()) {
                    prepared.add(v.prepare(s));
                }
                pending.set(new Incoming(s, s.readyNodes(), s.runningPods(), prepared));
                TuiRunner r = runner;
                if (r != null) {
                    r.dispatch(new Wake());
                }
            }
        });
    }

    /** Connects the dashboard to the runner whose event loop it wakes with new data. */
    public Dashboard attach(TuiRunner r) {
        this.runner = r;
        if (pending.get() != null) {
            r.dispatch(new Wake());
        }
        return this;
    }

    /** Keeps a copy of each drawn frame, for tests and the benchmark. */
    public Dashboard capture(boolean on) {
        capture = on;
        return this;
    }

    public Buffer lastFrame() {
        return lastFrame;
    }

    /** Called after each frame with its render time in nanoseconds (the benchmark listens). */
    public Dashboard onFrame(java.util.function.LongConsumer l) {
        onFrame = l;
        return this;
    }

    public long lastRenderNanos() {
        return lastRenderNanos;
    }

    public ClusterSnapshot snapshot() {
        return snap;
    }

    public String screenName() {
        return help ? "help" : detail != null ? "detail" : screen;
    }

    public TableView<?> currentTable() {
        return "dashboard".equals(screen) ? registry.view(PANELS[focus]) : registry.view(screen);
    }

    public String focusedPanel() {
        return "dashboard".equals(screen) ? PANELS[focus] : screen;
    }

    public boolean quitting() {
        return quit;
    }

    // ------------------------------------------------------------------ events

    @Override
    public boolean handle(Event event, TuiRunner r) {
        try {
            adopt();
            if (event instanceof KeyEvent k) {
                onKey(k);
                if (quit) {
                    r.quit();
                    return false;
                }
                return true;
            }
            return event instanceof Wake || event instanceof TickEvent || event instanceof ResizeEvent;
        } catch (RuntimeException e) {
            say("error: " + oneLine(e));
            return true;
        }
    }

    private long readyNodes;
    private long runningPods;

    private void adopt() {
        Incoming in = pending.getAndSet(null);
        if (in != null) {
            snap = in.snap();
            readyNodes = in.readyNodes();
            runningPods = in.runningPods();
            int i = 0;
            for (TableView<?> v : registry.all()) {
                adoptInto(v, in.views().get(i++));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void adoptInto(TableView<T> v, TableView.Prepared<?> p) {
        v.adopt((TableView.Prepared<T>) p);
    }

    void onKey(KeyEvent k) {
        switch (input) {
            case CONFIRM -> {
                if (k.code() == KeyCode.CHAR && (k.character() == 'y' || k.character() == 'Y')) {
                    String node = confirmNode;
                    boolean c = confirmCordon;
                    say((c ? "cordoning " : "uncordoning ") + node + "…");
                    model.cordon(node, c, this::say);
                } else {
                    say("cancelled");
                }
                input = Input.NONE;
                return;
            }
            case FILTER -> {
                if (editLine(k)) {
                    currentTable().setFilter(typed.toString());
                    return;
                }
                if (k.code() == KeyCode.ENTER) {
                    input = Input.NONE;
                    return;
                }
                if (k.code() == KeyCode.ESCAPE) {
                    input = Input.NONE;
                    currentTable().setFilter("");
                    return;
                }
                navigate(k);
                return;
            }
            case COMMAND -> {
                if (editLine(k)) {
                    return;
                }
                if (k.code() == KeyCode.ENTER) {
                    input = Input.NONE;
                    jump(typed.toString());
                } else if (k.code() == KeyCode.ESCAPE) {
                    input = Input.NONE;
                }
                return;
            }
            default -> {
            }
        }
        if (navigate(k)) {
            return;
        }
        Keymap.Binding b = Keymap.find(k);
        if (b != null && b.run() != null) {
            b.run().accept(this);
        }
    }

    /** Typing in the filter or ':' prompt; true when the key was consumed as text. */
    private boolean editLine(KeyEvent k) {
        if (k.code() == KeyCode.CHAR && !k.hasCtrl() && !k.hasAlt()) {
            typed.append(k.character());
            return true;
        }
        if (k.code() == KeyCode.BACKSPACE) {
            if (typed.length() > 0) {
                typed.setLength(typed.length() - 1);
            }
            return true;
        }
        return false;
    }

    private boolean navigate(KeyEvent k) {
        if (help || detail != null) {
            DetailView d = help ? helpView() : detail;
            switch (k.code()) {
                case UP -> d.scroll(-1);
                case DOWN -> d.scroll(1);
                case PAGE_UP -> d.page(-1);
                case PAGE_DOWN -> d.page(1);
                case HOME -> d.home();
                case END -> d.end();
                default -> {
                    return false;
                }
            }
            return true;
        }
        TableView<?> t = currentTable();
        switch (k.code()) {
            case UP -> t.move(-1);
            case DOWN -> t.move(1);
            case PAGE_UP -> t.page(-1);
            case PAGE_DOWN -> t.page(1);
            case HOME -> t.home();
            case END -> t.end();
            default -> {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ actions (bound in Keymap)

    void quit() {
        quit = true;
    }

    void refresh() {
        model.refresh();
        say("refreshing: listing everything again");
    }

    void toggleHelp() {
        help = !help;
        helpView = null;
    }

    private DetailView helpView;

    private DetailView helpView() {
        if (helpView == null) {
            List<List<Cell>> lines = new ArrayList<>();
            lines.add(List.of(Cell.of("Keys", Tone.SAMPLE)));
            for (Keymap.Binding b : Keymap.BINDINGS) {
                lines.add(List.of(Cell.of("  " + String.format("%-12s", b.keys()), Tone.OK), Cell.of(b.action())));
            }
            lines.add(List.of(Cell.of("")));
            lines.add(List.of(Cell.of("Views (:name)  nodes · services · pods · events · dashboard", Tone.DIM)));
            lines.add(List.of(Cell.of("Refresh every " + model.refreshMillis() / 1000 + " s (--refresh or refresh in config.toml)",
                    Tone.DIM)));
            helpView = new DetailView("Help", lines);
        }
        return helpView;
    }

    void nextPanel() {
        if (help || detail != null) {
            return;
        }
        if ("dashboard".equals(screen)) {
            focus = (focus + 1) % PANELS.length;
        } else {
            screen = Registry.KINDS.get((Registry.KINDS.indexOf(screen) + 1) % Registry.KINDS.size());
        }
    }

    void back() {
        if (help) {
            help = false;
        } else if (detail != null) {
            detail = null;
        } else if (!currentTable().filter().isEmpty()) {
            currentTable().setFilter("");
        } else if (!"dashboard".equals(screen)) {
            screen = "dashboard";
        }
    }

    void startFilter() {
        if (help || detail != null) {
            return;
        }
        input = Input.FILTER;
        typed.setLength(0);
        typed.append(currentTable().filter());
    }

    void startCommand() {
        input = Input.COMMAND;
        typed.setLength(0);
    }

    void cycleSort() {
        if (help || detail != null) {
            return;
        }
        currentTable().cycleSort();
        say(currentTable().title() + " sorted by " + currentTable().sortName());
    }

    void jump(String name) {
        String kind = Registry.resolve(name);
        if (kind == null) {
            say("unknown view '" + name.trim() + "': use nodes, services, pods, events or dashboard");
            return;
        }
        help = false;
        detail = null;
        screen = kind;
    }

    void askCordon(boolean cordon) {
        if (help || detail != null) {
            return;
        }
        if (!"nodes".equals(focusedPanel()) || !(currentTable().selected() instanceof NodeRow n)) {
            say("select a node first: Tab to the Nodes panel or type :nodes");
            return;
        }
        if (cordon == n.unschedulable()) {
            say(n.name() + " is already " + (cordon ? "cordoned" : "schedulable"));
            return;
        }
        confirmNode = n.name();
        confirmCordon = cordon;
        input = Input.CONFIRM;
    }

    void openDetails() {
        if (help || snap == null) {
            return;
        }
        Object sel = currentTable().selected();
        long now = System.currentTimeMillis();
        ClusterSnapshot s = snap;
        if (sel instanceof NodeRow n) {
            DetailView d = new DetailView("Node " + n.name(), List.of(List.of(Cell.of("loading…", Tone.DIM))));
            detail = d;
            model.fetch("node", null, n.name(), o -> d.setLines(o.map(j -> DetailRender.node(j, s, now))
                    .orElse(List.of(List.of(Cell.of(n.name() + " no longer exists", Tone.WARN))))), err -> failed(d, err));
        } else if (sel instanceof ServiceRow sv) {
            DetailView d = new DetailView("Service " + sv.namespace() + "/" + sv.name(), List.of(List.of(Cell.of("loading…", Tone.DIM))));
            detail = d;
            model.fetch("service", sv.namespace(), sv.name(), svc -> model.fetch("endpoints", sv.namespace(), sv.name(),
                    ep -> d.setLines(DetailRender.service(sv, svc.orElse(null), ep.orElse(null), s)), err -> failed(d, err)),
                    err -> failed(d, err));
        } else if (sel instanceof PodRow p) {
            detail = new DetailView("Pod " + p.namespace() + "/" + p.name(), DetailRender.pod(p, now));
        } else if (sel instanceof EventRow e) {
            detail = new DetailView("Event", DetailRender.event(e, now));
        }
        TuiRunner r = runner;
        if (r != null && detail != null) {
            r.dispatch(new Wake());
        }
    }

    private void failed(DetailView d, String err) {
        d.setLines(List.of(List.of(Cell.of("could not load: " + err, Tone.BAD))));
        TuiRunner r = runner;
        if (r != null) {
            r.dispatch(new Wake());
        }
    }

    void say(String m) {
        message = m;
        messageAt = System.currentTimeMillis();
        TuiRunner r = runner;
        if (r != null && !r.isRenderThread()) {
            r.dispatch(new Wake());
        }
    }

    // ------------------------------------------------------------------ drawing

    @Override
    public void render(Frame frame) {
        long t0 = System.nanoTime();
        Buffer b = frame.buffer();
        Rect area = frame.area();
        try {
            adopt();
            draw(b, area);
        } catch (RuntimeException e) {
            b.clear();
            Draw.text(b, 0, 0, area.width(), "cluster-tui could not draw this screen: " + oneLine(e) + " (press q to quit)",
                    Draw.style(Tone.BAD));
        }
        lastRenderNanos = System.nanoTime() - t0;
        if (capture) {
            lastFrame = b.copy();
        }
        java.util.function.LongConsumer l = onFrame;
        if (l != null) {
            l.accept(lastRenderNanos);
        }
    }

    private void draw(Buffer b, Rect area) {
        if (area.width() < MIN_WIDTH || area.height() < MIN_HEIGHT) {
            String[] msg = {"Terminal too small: " + area.width() + "x" + area.height(),
                "cluster-tui needs at least " + MIN_WIDTH + "x" + MIN_HEIGHT + ".", "Enlarge the window (or press q to quit)."};
            for (int i = 0; i < msg.length; i++) {
                int y = area.height() / 2 - 1 + i;
                if (y >= 0 && y < area.height()) {
                    Draw.text(b, Math.max(0, (area.width() - msg[i].length()) / 2), y, area.width(), msg[i],
                            i == 0 ? Draw.style(Tone.WARN).bold() : Draw.PLAIN);
                }
            }
            return;
        }
        long now = System.currentTimeMillis();
        int headerH = drawHeader(b, area, now);
        Rect body = new Rect(area.x(), area.y() + headerH, area.width(), area.height() - headerH - 1);
        if (snap == null) {
            Draw.text(b, body.x() + 2, body.y() + 1, body.width() - 4, "loading the cluster…", Draw.style(Tone.DIM));
        } else if (help) {
            helpView().render(b, body);
        } else if (detail != null) {
            detail.render(b, body);
        } else if ("dashboard".equals(screen)) {
            int nodesH = Math.max(5, Math.min(snap.nodes().size() + 3, body.height() * 2 / 5));
            int eventsH = Math.max(5, body.height() / 4);
            int servicesH = body.height() - nodesH - eventsH;
            registry.view("nodes").render(b, new Rect(body.x(), body.y(), body.width(), nodesH), focus == 0, snap, now);
            registry.view("services").render(b, new Rect(body.x(), body.y() + nodesH, body.width(), servicesH), focus == 1, snap, now);
            registry.view("events").render(b, new Rect(body.x(), body.y() + nodesH + servicesH, body.width(), eventsH), focus == 2,
                    snap, now);
        } else {
            registry.view(screen).render(b, body, true, snap, now);
        }
        drawFooter(b, new Rect(area.x(), area.y() + area.height() - 1, area.width(), 1), now);
        if (snap != null) {
            List<String> vis = new ArrayList<>();
            for (Object o : registry.view("nodes").visible()) {
                vis.add(((NodeRow) o).name());
            }
            if (!vis.equals(lastVisibleNodes)) {
                lastVisibleNodes = vis;
                model.setVisibleNodes(vis);
            }
        }
    }

    private int drawHeader(Buffer b, Rect area, long now) {
        int w = area.width();
        ClusterSnapshot s = snap;
        if (s == null) {
            Draw.text(b, 0, 0, w, " Kubani · connecting…", Draw.HEADER);
            return 2;
        }
        ClusterSnapshot.Meta m = s.meta();
        int x = 0;
        if (m.sample()) {
            x += Draw.text(b, x, 0, w - x, " SAMPLE DATA ", Draw.style(Tone.SAMPLE).reversed()) + 1;
        }
        String line1 = "Cluster " + m.cluster() + " │ nodes " + readyNodes + "/" + s.nodes().size() + " Ready │ pods "
                + runningPods + "/" + s.pods().size() + " Running │ API " + m.server() + " │ context " + m.context()
                + " │ Kubernetes " + m.version();
        Draw.text(b, x, 0, w - x, line1, Draw.HEADER);
        String upd = m.updatedMs() == 0 ? "never" : Ages.sinceMillis(m.updatedMs(), now) + " ago";
        int lines = 2;
        switch (m.state()) {
            case LIVE -> {
                int used = Draw.text(b, 0, 1, w, " ● live", Draw.style(Tone.OK));
                Draw.text(b, used, 1, w - used, "   last update " + upd + " · refresh " + model.refreshMillis() / 1000 + " s"
                        + (s.metricsAvailable() ? "" : " · metrics-server absent: CPU/memory N/A")
                        + (m.problem() == null ? "" : " · " + m.problem()) + " · ? help", Draw.style(Tone.DIM));
            }
            case CONNECTING -> Draw.text(b, 0, 1, w, " ◌ connecting to " + m.server() + "…", Draw.style(Tone.WARN));
            case STALE -> {
                String age = Ages.sinceMillis(m.staleSinceMs(), now);
                Draw.text(b, 0, 1, w, " ● STALE for " + age + ": showing the last state from " + upd
                        + "; retrying with backoff", Draw.style(Tone.BAD));
                lines = 3;
            }
            case AUTH_FAILED -> {
                Draw.text(b, 0, 1, w, " ✖ AUTHENTICATION FAILED: showing the last state from " + upd, Draw.style(Tone.BAD));
                lines = 3;
            }
            default -> {
            }
        }
        if (lines == 3) {
            Draw.text(b, 1, 2, w - 1, m.problem() == null ? "" : m.problem(), Draw.style(Tone.WARN));
        }
        return lines;
    }

    private void drawFooter(Buffer b, Rect r, long now) {
        int w = r.width();
        int y = r.y();
        switch (input) {
            case FILTER -> {
                Draw.text(b, 0, y, w, "/" + typed + "▏  filter " + currentTable().title().toLowerCase() + " by name · Enter keep · Esc clear",
                        Draw.style(Tone.OK));
                return;
            }
            case COMMAND -> {
                Draw.text(b, 0, y, w, ":" + typed + "▏  view: nodes, services, pods, events, dashboard · Enter go · Esc cancel",
                        Draw.style(Tone.OK));
                return;
            }
            case CONFIRM -> {
                Draw.text(b, 0, y, w, (confirmCordon ? "Cordon" : "Uncordon") + " node " + confirmNode + "? (y/n)",
                        Draw.style(Tone.WARN).bold());
                return;
            }
            default -> {
            }
        }
        String msg = message;
        if (msg != null && now - messageAt < 8000) {
            Draw.text(b, 0, y, w, " " + msg, Draw.style(msg.contains("failed") || msg.startsWith("error") ? Tone.BAD : Tone.OK));
            return;
        }
        Draw.text(b, 0, y, w, " q quit · r refresh · ? help · Tab panel · Enter details · Esc back · / filter · s sort · "
                + ": view · c/u cordon", Style.EMPTY.fg(dev.tamboui.style.Color.GRAY));
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The screen text of a buffer, one string per row (for tests and the tmux check). */
    public static List<String> text(Buffer b) {
        List<String> out = new ArrayList<>();
        for (int y = 0; y < b.height(); y++) {
            StringBuilder sb = new StringBuilder();
            for (int x = 0; x < b.width(); x++) {
                sb.append(b.get(x, y).symbol());
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Opens the details of a pod or event directly (used by ':' jumps in tests); hidden from the keymap. */
    Optional<DetailView> detail() {
        return Optional.ofNullable(detail);
    }
}
