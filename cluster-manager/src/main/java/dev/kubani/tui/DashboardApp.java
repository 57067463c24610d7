package dev.kubani.tui;

import dev.kubani.tui.model.ClusterModel;
import dev.tamboui.tui.TuiConfig;
import dev.tamboui.tui.TuiRunner;
import dev.tamboui.tui.error.ErrorAction;
import java.time.Duration;

/** Runs the dashboard on the real terminal until the user quits. */
public final class DashboardApp {
    private DashboardApp() {
    }

    /** The TamboUI settings the dashboard needs: a 1 s tick for relative times, and errors never shown as stack traces. */
    public static TuiConfig.Builder config() {
        return TuiConfig.builder().tickRate(Duration.ofSeconds(1)).mouseCapture(false)
                .errorHandler((err, ctx) -> ErrorAction.SUPPRESS);
    }

    public static void run(ClusterModel model) throws Exception {
        Dashboard d = new Dashboard(model);
        try (TuiRunner runner = TuiRunner.create(config().build())) {
            d.attach(runner);
            model.start();
            runner.run(d, d);
        } finally {
            model.close();
        }
    }
}
