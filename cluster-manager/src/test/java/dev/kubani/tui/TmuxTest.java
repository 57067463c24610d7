package dev.kubani.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real program in a real terminal: cluster-tui's main class runs in tmux (JLine backend, raw
 * mode, alternate screen), keys go in with send-keys and the screen comes back with capture-pane.
 * tmux comes from Debian (scripts/deps.d/tui.txt).
 */
class TmuxTest {
    @TempDir
    Path dir;
    final String session = "kubani-tui-test-" + ProcessHandle.current().pid();

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    String screen() throws Exception {
        return run("tmux", "capture-pane", "-p", "-t", session);
    }

    String await(String text, long ms) throws Exception {
        long end = System.currentTimeMillis() + ms;
        String s = "";
        while (System.currentTimeMillis() < end) {
            s = screen();
            if (s.contains(text)) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' on the tmux screen after " + ms + " ms:\n" + s);
    }

    void keys(String... k) throws Exception {
        run(cmd("tmux", "send-keys", "-t", session, k));
        Thread.sleep(250); // a lone Esc must not merge with the next key into an Alt sequence
    }

    static String[] cmd(String a, String b, String c, String d, String... rest) {
        String[] out = new String[4 + rest.length];
        out[0] = a;
        out[1] = b;
        out[2] = c;
        out[3] = d;
        System.arraycopy(rest, 0, out, 4, rest.length);
        return out;
    }

    @AfterEach
    void kill() throws Exception {
        run("tmux", "kill-session", "-t", session);
    }

    @Test
    @DisplayName("cluster-tui --demo in tmux: dashboard, help, details, pods view with filter, cordon, too-small message, quit")
    void realTerminal() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String cmdline = "cd " + dir + " && HOME=" + dir + " XDG_CONFIG_HOME=" + dir + " '" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '"
                + cp + "' dev.kubani.tui.TuiMain --demo --refresh 1; echo EXITED=$?; sleep 60";
        run("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36", cmdline);
        String s = await("old-nas", 60_000);
        assertThat(s).contains("SAMPLE DATA").contains("Nodes (4)").contains("Services (").contains("Events (")
                .contains("dgx-spark").contains("NotReady");
        keys("?");
        await("Keys", 10_000);
        assertThat(screen()).contains("cordon the selected node");
        keys("Escape");
        keys("Enter");
        await("Conditions", 10_000);
        keys("Escape");
        keys(":", "pods", "Enter");
        await("Pods (", 10_000);
        keys("/", "comfy");
        s = await("matching 'comfy'", 10_000);
        assertThat(s).contains("CrashLoopBackOff");
        keys("Escape");
        keys("Escape");
        keys("c");
        await("Cordon node desktop? (y/n)", 10_000);
        keys("y");
        await("Ready (cordoned)", 10_000);
        run("tmux", "resize-window", "-t", session, "-x", "60", "-y", "15");
        await("Terminal too small", 10_000);
        run("tmux", "resize-window", "-t", session, "-x", "120", "-y", "36");
        await("Nodes (4)", 10_000);
        keys("q");
        s = await("EXITED=", 10_000);
        assertThat(s).contains("EXITED=0").doesNotContain("Exception");
        List<String> lines = s.lines().toList();
        assertThat(lines).noneMatch(l -> l.contains("\tat ") || l.contains("at dev.kubani"));
    }
}
