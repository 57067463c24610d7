package dev.kubani.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of cluster-mgr. The only place that calls System.exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("version") || args[0].equals("--version") || args[0].equals("-V"))) {
            // Fast path: picocli ships Java 5 class files, which the JDK 17 class-data-sharing
            // archive cannot hold, so building the parser costs ~100 ms. Plain version needs none.
            System.out.println(dev.kubani.core.Version.line());
            System.exit(0);
        }
        PrintWriter out = new PrintWriter(new java.io.BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = Cli.run(CliEnv.system(out, err), args);
        out.flush();
        endHttpSelectors();
        System.exit(code);
    }

    /**
     * The JDK's HttpClient (behind the Kubernetes client) keeps a selector thread waiting in
     * native code until the client is garbage collected (Java 17 has no HttpClient.close), and
     * the JVM's exit waits up to 300 ms for threads in native code. The work is done by now:
     * wake those threads so they end, and the exit is immediate.
     */
    private static void endHttpSelectors() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        Thread[] all = new Thread[g.activeCount() + 16];
        int count = g.enumerate(all, true);
        for (int i = 0; i < count; i++) {
            Thread t = all[i];
            String n = t.getName();
            if (n.startsWith("HttpClient-") && n.endsWith("-SelectorManager")) {
                t.interrupt();
                try {
                    t.join(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
