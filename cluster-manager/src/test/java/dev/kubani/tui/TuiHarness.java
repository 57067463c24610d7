package dev.kubani.tui;

import dev.kubani.tui.dao.ClusterSource;
import dev.kubani.tui.model.ClusterModel;
import dev.tamboui.layout.Size;
import dev.tamboui.terminal.TestBackend;
import dev.tamboui.tui.event.KeyCode;
import dev.tamboui.tui.pilot.Pilot;
import dev.tamboui.tui.pilot.TuiTestRunner;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The whole dashboard on TamboUI's TestBackend, driven by the key pilot; the screen is read from captured frames. */
final class TuiHarness implements AutoCloseable {
    final Dashboard dashboard;
    final ClusterModel model;
    final TuiTestRunner test;
    final Pilot pilot;

    TuiHarness(ClusterSource source, Duration refresh, int w, int h) throws Exception {
        model = new ClusterModel(source, refresh);
        dashboard = new Dashboard(model).capture(true);
        test = TuiTestRunner.runTest(dashboard, dashboard, new Size(w, h), DashboardApp.config().backend(new TestBackend(w, h))
                .rawMode(false).alternateScreen(false).hideCursor(false).shutdownHook(false)
                .pollTimeout(Duration.ofMillis(10)).build());
        pilot = test.pilot();
        dashboard.attach(test.runner());
        model.start();
    }

    String screen() {
        return dashboard.lastFrame() == null ? "" : String.join("\n", Dashboard.text(dashboard.lastFrame()));
    }

    /** The screen row containing {@code s}, or null. */
    int rowOf(String s) {
        if (dashboard.lastFrame() == null) {
            return -1;
        }
        List<String> rows = Dashboard.text(dashboard.lastFrame());
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).contains(s)) {
                return i;
            }
        }
        return -1;
    }

    /** Waits until the screen satisfies {@code p}; fails with the screen after {@code ms}. */
    String await(String what, Predicate<String> p, long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < end) {
            String s = screen();
            if (p.test(s)) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out after " + ms + " ms waiting for " + what + "; screen:\n" + screen());
    }

    String awaitText(String text) throws InterruptedException {
        return await("'" + text + "'", s -> s.contains(text), 8000);
    }

    void type(String s) {
        for (char c : s.toCharArray()) {
            pilot.press(c);
        }
    }

    void press(KeyCode k) {
        pilot.press(k);
    }

    @Override
    public void close() throws Exception {
        test.close();
        model.close();
    }
}
