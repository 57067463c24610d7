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
        System.exit(code);
    }
}
