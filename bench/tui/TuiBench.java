import dev.kubani.kube.ClusterCache;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.KubeApi;
import dev.kubani.kube.KubeConnect;
import dev.kubani.tui.Dashboard;
import dev.kubani.tui.DashboardApp;
import dev.kubani.tui.dao.LiveSource;
import dev.kubani.tui.model.ClusterModel;
import dev.tamboui.layout.Size;
import dev.tamboui.terminal.TestBackend;
import dev.tamboui.tui.EventHandler;
import dev.tamboui.tui.TuiRunner;
import dev.tamboui.tui.event.KeyCode;
import dev.tamboui.tui.event.KeyEvent;
import dev.tamboui.tui.pilot.Pilot;
import dev.tamboui.tui.pilot.TuiTestRunner;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboard against the fixture API server (5,000 nodes, 150,000 pods, 100 pod changes/s), on
 * TamboUI's TestBackend at 160x48: time to the first complete frame, frame times while changes
 * stream, keystroke-to-frame in the pods filter, RSS and heap, idle CPU. Prints figures only.
 *
 * Run by bench/tui/run.sh.
 */
public class TuiBench {
    static final List<Long> frames = Collections.synchronizedList(new ArrayList<>());
    static final AtomicLong frameCount = new AtomicLong();
    /** Key events the dashboard has handled, and how many of them the last drawn frame reflects. */
    static final AtomicLong keysHandled = new AtomicLong();
    static volatile long keysInFrame;
    static volatile TuiRunner runner;
    static final QuietBackend backend = new QuietBackend(160, 48);

    public static void main(String[] a) throws Exception {
        String fixture = a[0];
        int expectPods = Integer.parseInt(a[1]);
        long t0 = System.nanoTime();
        KubeConnect.Target target = KubeConnect.target(System.getenv(), null);
        var client = KubeConnect.client(target, Duration.ofSeconds(30));
        ClusterCache cache = new ClusterCache(new KubeApi(client, Duration.ofSeconds(30)), target, "fixture", 500, 15000).start();
        ClusterModel model = new ClusterModel(new LiveSource(cache), Duration.ofSeconds(1));
        Dashboard d = new Dashboard(model).onFrame(ns -> {
            frames.add(ns);
            keysInFrame = keysHandled.get(); // frames are drawn on the thread that handles keys
            frameCount.incrementAndGet();
        });
        // Counts the keys the dashboard handled, so a keystroke's time ends at the first frame that shows it.
        EventHandler counting = (event, r) -> {
            boolean redraw = d.handle(event, r);
            if (event instanceof KeyEvent) {
                keysHandled.incrementAndGet();
            }
            return redraw;
        };
        TuiTestRunner test = TuiTestRunner.runTest(counting, d, new Size(160, 48), DashboardApp.config().backend(backend)
                .rawMode(false).alternateScreen(false).hideCursor(false).shutdownHook(false).pollTimeout(Duration.ofMillis(10)).build());
        Pilot pilot = test.pilot();
        runner = test.runner();
        d.attach(test.runner());
        model.start();
        // first complete frame: a frame drawn from a LIVE snapshot holding every pod
        while (true) {
            ClusterSnapshot s = d.snapshot();
            if (s != null && s.pods().size() >= expectPods && s.meta().state() == ClusterSnapshot.Connection.LIVE) {
                long seen = frameCount.get();
                while (frameCount.get() == seen) {
                    Thread.sleep(1);
                }
                break;
            }
            Thread.sleep(2);
        }
        double first = (System.nanoTime() - t0) / 1e9;
        System.out.printf("first complete frame            %8.2f s%n", first);

        // frames while 100 pod changes per second stream in: scroll, and let the model redraw every second
        frames.clear();
        long end = System.nanoTime() + 20_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end) {
            pilot.press(i++ % 40 < 20 ? KeyCode.DOWN : KeyCode.UP);
            Thread.sleep(100);
        }
        report("frame time while streaming", new ArrayList<>(frames));

        // keystroke to frame: typing a filter in the pods view
        pilot.press(':');
        for (char c : "pods".toCharArray()) {
            pilot.press(c);
        }
        pilot.press(KeyCode.ENTER);
        Thread.sleep(500);
        List<Long> keys = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            keys.add(key(pilot, '/'));
            for (char c : ("app-" + (100 + round * 37)).toCharArray()) {
                keys.add(key(pilot, c));
            }
            keys.add(key(pilot, KeyCode.ESCAPE));
            Thread.sleep(200);
        }
        report("keystroke to frame (pods filter)", keys);

        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        System.out.printf("heap used after load (after GC) %8.0f MiB%n", heap / 1048576.0);
        System.out.printf("RSS after load                  %8.0f MiB%n", rssKb() / 1024.0);

        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture + "/control/stream?on=0"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        Thread.sleep(8000);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        Thread.sleep(20_000);
        double idle = 100.0 * (os.getProcessCpuTime() - c0) / (System.nanoTime() - w0);
        System.out.printf("idle CPU (20 s, no changes)     %8.2f %% of a core%n", idle);
        System.out.printf("RSS at the end                  %8.0f MiB%n", rssKb() / 1024.0);
        System.exit(0);
    }

    /**
     * TamboUI's TestBackend answers read() at once, so its input thread spins; a terminal with no input waits.
     * This one waits for the timeout, as the JLine backend does, so idle CPU is measured as on a real terminal.
     */
    static final class QuietBackend extends TestBackend {
        QuietBackend(int w, int h) {
            super(w, h);
        }

        private boolean poked;

        /** A key was handed to the runner: return from read() now, as a terminal's read returns when a key arrives. */
        synchronized void poke() {
            poked = true;
            notifyAll();
        }

        @Override
        public synchronized int read(int timeoutMs) {
            try {
                if (!poked) {
                    wait(Math.max(1, timeoutMs));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            poked = false;
            return -2;
        }
    }

    /**
     * Keystroke to frame: from handing the key to the runner until a drawn frame reflects it. The key
     * goes straight to the runner, not through Pilot.press, which sleeps 50 ms after every key (that
     * sleep was inside the figure until November 2026), and the backend's read() returns at once, as a terminal's
     * does when a key arrives (otherwise the key waits out the 10 ms poll). Keys are typed 60 ms apart, as a fast
     * typist would.
     */
    static long key(Pilot p, Object k) throws InterruptedException {
        long want = keysHandled.get() + 1;
        long t = System.nanoTime();
        runner.dispatch(k instanceof Character c ? KeyEvent.ofChar(c) : KeyEvent.ofKey((KeyCode) k));
        backend.poke();
        while (keysInFrame < want) {
            Thread.sleep(0, 100_000);
        }
        long took = System.nanoTime() - t;
        Thread.sleep(60);
        return took;
    }

    static void report(String what, List<Long> ns) {
        Collections.sort(ns);
        if (ns.isEmpty()) {
            System.out.println(what + ": no samples");
            return;
        }
        double p50 = ns.get(ns.size() / 2) / 1e6;
        double p99 = ns.get(Math.min(ns.size() - 1, (int) Math.ceil(ns.size() * 0.99) - 1)) / 1e6;
        double max = ns.get(ns.size() - 1) / 1e6;
        System.out.printf("%-32s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (n=%d)%n", what, p50, p99, max, ns.size());
    }

    static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
