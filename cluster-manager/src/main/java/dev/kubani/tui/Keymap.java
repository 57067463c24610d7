package dev.kubani.tui;

import dev.tamboui.tui.event.KeyCode;
import dev.tamboui.tui.event.KeyEvent;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every key the dashboard answers to, with what it does (Property 25). The help screen is drawn
 * from this list, and the tests press each key in it, so the two cannot drift apart.
 */
public final class Keymap {
    /** One binding: the keys as the help shows them, what they do, which key events match, and the action. */
    public record Binding(String keys, String action, Predicate<KeyEvent> matches, Consumer<Dashboard> run) {
    }

    private Keymap() {
    }

    static Predicate<KeyEvent> ch(char... cs) {
        return k -> {
            if (k.code() != KeyCode.CHAR || k.hasCtrl() || k.hasAlt()) {
                return false;
            }
            for (char c : cs) {
                if (k.character() == c) {
                    return true;
                }
            }
            return false;
        };
    }

    static Predicate<KeyEvent> key(KeyCode c) {
        return k -> k.code() == c;
    }

    public static final List<Binding> BINDINGS = List.of(
            new Binding("q", "quit", ch('q').or(KeyEvent::isCtrlC), Dashboard::quit),
            new Binding("r", "refresh now: list everything again", ch('r'), Dashboard::refresh),
            new Binding("h ?", "show or hide this help", ch('h', '?'), Dashboard::toggleHelp),
            new Binding("↑ ↓", "move the selection", key(KeyCode.UP).or(key(KeyCode.DOWN)), null),
            new Binding("PgUp PgDn", "move a page", key(KeyCode.PAGE_UP).or(key(KeyCode.PAGE_DOWN)), null),
            new Binding("Home End", "first / last row", key(KeyCode.HOME).or(key(KeyCode.END)), null),
            new Binding("Tab", "switch panel (or view)", key(KeyCode.TAB), Dashboard::nextPanel),
            new Binding("Enter", "details of the selected node, service, pod or event", key(KeyCode.ENTER), Dashboard::openDetails),
            new Binding("Esc", "back: close details or help, clear the filter, leave a view", key(KeyCode.ESCAPE), Dashboard::back),
            new Binding("/", "filter by name as you type (Enter keeps it, Esc clears it)", ch('/'), Dashboard::startFilter),
            new Binding("s", "sort the table by the next column", ch('s'), Dashboard::cycleSort),
            new Binding("c", "cordon the selected node (asks first)", ch('c'), d -> d.askCordon(true)),
            new Binding("u", "uncordon the selected node (asks first)", ch('u'), d -> d.askCordon(false)),
            new Binding(":", "jump to a view: nodes, services, pods, events (or dashboard)", ch(':'), Dashboard::startCommand));

    /** The binding for {@code k}, or null. Navigation keys are handled by the dashboard directly. */
    public static Binding find(KeyEvent k) {
        for (Binding b : BINDINGS) {
            if (b.matches().test(k)) {
                return b;
            }
        }
        return null;
    }
}
