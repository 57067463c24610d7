package dev.kubani.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubani.tui.dao.SampleSource;
import dev.tamboui.tui.event.KeyCode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Property 25: every documented key is registered and does what the help says (on the sample cluster, TestBackend). */
class DashboardKeysTest {
    TuiHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new TuiHarness(new SampleSource(), Duration.ofSeconds(1), 120, 40);
        h.awaitText("SAMPLE DATA");
        h.awaitText("old-nas");
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    @DisplayName("Property 25: TUI keyboard navigation — the help lists every binding, and each binding's key is bound")
    void helpListsEveryBinding() throws Exception {
        h.type("?");
        String s = h.awaitText("Keys");
        for (Keymap.Binding b : Keymap.BINDINGS) {
            assertThat(s).as("help shows " + b.keys()).contains(b.action());
        }
        h.type("h");
        h.await("help closed", x -> !x.contains("show or hide this help"), 5000);
        assertThat(Keymap.BINDINGS).extracting(Keymap.Binding::keys)
                .contains("q", "r", "h ?", "↑ ↓", "PgUp PgDn", "Home End", "Tab", "Enter", "Esc", "/", "c", "u", ":", "s");
    }

    @Test
    @DisplayName("Property 25: arrows, PgUp/PgDn, Home/End move the selection; Tab switches panel; Enter opens details; Esc goes back")
    void navigation() throws Exception {
        assertThat(h.dashboard.focusedPanel()).isEqualTo("nodes");
        h.press(KeyCode.DOWN);
        h.await("down", x -> h.dashboard.currentTable().selectedIndex() == 1, 5000);
        h.press(KeyCode.UP);
        h.await("up", x -> h.dashboard.currentTable().selectedIndex() == 0, 5000);
        h.press(KeyCode.END);
        h.await("end", x -> h.dashboard.currentTable().selectedIndex() == 3, 5000);
        h.press(KeyCode.HOME);
        h.await("home", x -> h.dashboard.currentTable().selectedIndex() == 0, 5000);
        h.press(KeyCode.PAGE_DOWN);
        h.await("page down", x -> h.dashboard.currentTable().selectedIndex() == 3, 5000);
        h.press(KeyCode.PAGE_UP);
        h.await("page up", x -> h.dashboard.currentTable().selectedIndex() == 0, 5000);

        h.press(KeyCode.ENTER);
        String d = h.awaitText("Conditions");
        assertThat(d).contains("Node desktop").contains("Capacity / allocatable").contains("Taints").contains("Labels")
                .contains("Pods on desktop");
        h.press(KeyCode.ESCAPE);
        h.await("back", x -> !x.contains("Conditions") && x.contains("Services ("), 5000);

        h.press(KeyCode.TAB);
        h.await("services focused", x -> "services".equals(h.dashboard.focusedPanel()), 5000);
        h.press(KeyCode.ENTER);
        String sv = h.awaitText("Endpoints");
        assertThat(sv).contains("Service default/nginx").contains("Ports").contains("Pods (3)");
        h.press(KeyCode.ESCAPE);
        h.press(KeyCode.TAB);
        h.await("events focused", x -> "events".equals(h.dashboard.focusedPanel()), 5000);
        h.press(KeyCode.TAB);
        h.await("back to nodes", x -> "nodes".equals(h.dashboard.focusedPanel()), 5000);
    }

    @Test
    @DisplayName("Property 25: '/' filters by name as you type, Esc clears it; 's' sorts; ':' jumps to a view")
    void filterSortJump() throws Exception {
        h.type("/dgx");
        h.awaitText("Nodes (1 matching 'dgx')");
        h.press(KeyCode.ENTER);
        h.press(KeyCode.ESCAPE);
        h.awaitText("Nodes (4)");
        h.type("s");
        h.awaitText("Nodes sorted by status");
        h.type(":pods");
        h.press(KeyCode.ENTER);
        h.awaitText("Pods (");
        assertThat(h.dashboard.screenName()).isEqualTo("pods");
        h.type("/comfy");
        h.awaitText("comfyui-5d8f9c7b44-r2n8k");
        h.press(KeyCode.ESCAPE);
        h.press(KeyCode.ESCAPE);
        h.type(":bogus");
        h.press(KeyCode.ENTER);
        h.awaitText("unknown view 'bogus'");
        h.type(":events");
        h.press(KeyCode.ENTER);
        h.await("events view", x -> "events".equals(h.dashboard.screenName()), 5000);
        h.press(KeyCode.ESCAPE);
        h.await("dashboard", x -> "dashboard".equals(h.dashboard.screenName()), 5000);
    }

    @Test
    @DisplayName("Property 25: 'c' and 'u' cordon and uncordon the selected node after confirmation; 'n' cancels")
    void cordon() throws Exception {
        h.type("c");
        h.awaitText("Cordon node desktop? (y/n)");
        h.type("n");
        h.awaitText("cancelled");
        h.type("c");
        h.awaitText("Cordon node desktop? (y/n)");
        h.type("y");
        h.awaitText("cordoned desktop");
        h.await("cordoned status", x -> x.contains("Ready (cordoned)"), 8000);
        h.type("u");
        h.awaitText("Uncordon node desktop? (y/n)");
        h.type("y");
        h.awaitText("uncordoned desktop");
    }

    @Test
    @DisplayName("Property 25: 'r' refreshes, 'q' quits")
    void refreshAndQuit() throws Exception {
        h.type("r");
        h.awaitText("refreshing");
        h.type("q");
        h.await("quit", x -> h.dashboard.quitting() && !h.test.runner().isRunning(), 5000);
    }

    @Test
    @DisplayName("a terminal below the minimum size gets a message with the size it needs")
    void tooSmall() throws Exception {
        h.test.backend().resize(60, 15);
        h.pilot.resize(60, 15);
        h.awaitText("Terminal too small: 60x15");
        assertThat(h.screen()).contains("needs at least 80x20");
        h.test.backend().resize(120, 40);
        h.pilot.resize(120, 40);
        h.awaitText("Nodes (4)");
    }
}
