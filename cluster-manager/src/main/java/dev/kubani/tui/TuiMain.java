package dev.kubani.tui;

/** Entry point of {@code cluster-tui}: the same as {@code cluster-mgr tui ARGS}. */
public final class TuiMain {
    private TuiMain() {
    }

    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "tui";
        System.arraycopy(args, 0, all, 1, args.length);
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            all = new String[] {"version"};
        }
        dev.kubani.cli.Main.main(all);
    }
}
